import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type IssuedTerminal, type LiftSummary, type TerminalView } from '@liftwatch/contract';
import { mosquittoPub, waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => {
  lw = await startTestLiftwatch({ simulate: 3, simulateP1PerMinute: 0 });
});
afterAll(async () => {
  await lw?.stop();
});

const post = async <T>(path: string, body?: unknown, type = 'application/json') => {
  const res = await lw.fetch(`${path}`, { method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as T };
};
const status = (liftId: string, seq: number) => JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now() });

describe('provisioning terminals through the API, and what the broker then lets in', () => {
  it('adds a terminal, shows its token once, and mosquitto_pub gets in with it', async () => {
    const { status: code, body } = await post<IssuedTerminal>('/api/terminals', { liftId: 'API-1' });
    expect(code).toBe(201);
    expect(body.terminal).toMatchObject({ terminalId: 'T-API-1', liftId: 'API-1', role: 'terminal', enabled: true });
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('API-1', 'status'), message: status('API-1', 1), clientId: 'T-API-1', username: 'T-API-1', password: body.token });
    expect((await lw.get<LiftSummary>(`/api/lifts/API-1`)).recordsTotal).toBe(1);
    const listed = await lw.get<{ terminals: TerminalView[] }>(`/api/terminals?liftId=API-1`);
    expect(JSON.stringify(listed)).not.toContain(body.token);
    expect((await post('/api/terminals', { liftId: 'API-1' })).status).toBe(409);
  });

  it('provisions a CSV, and rotation and disabling lock the old credentials out', async () => {
    const { status: code, body } = await post<{ issued: IssuedTerminal[] }>('/api/terminals/csv', 'liftId,terminalId\nAPI-2\nAPI-3,T-API-3b\n', 'text/csv');
    expect(code).toBe(201);
    expect(body.issued.map((i) => i.terminal.terminalId)).toEqual(['T-API-2', 'T-API-3b']);
    const old = body.issued[0]!.token;
    const rotated = await post<IssuedTerminal>('/api/terminals/T-API-2/rotate');
    const pub = (password: string, seq: number) => mosquittoPub({ port: lw.mqttPort, topic: liftTopic('API-2', 'status'), message: status('API-2', seq), clientId: 'T-API-2', username: 'T-API-2', password });
    await expect(pub(old, 1)).rejects.toThrow(/mosquitto_pub failed/);
    await pub(rotated.body.token, 2);
    expect((await post<TerminalView>('/api/terminals/T-API-2/disable')).body.enabled).toBe(false);
    await expect(pub(rotated.body.token, 3)).rejects.toThrow(/mosquitto_pub failed/);
    expect((await lw.get<LiftSummary>(`/api/lifts/API-2`)).recordsTotal).toBe(1);
    expect((await post('/api/terminals/csv', 'API-4,T-1,admin', 'text/csv')).body).toMatchObject({ error: { code: 'LW_ERR_REQUEST_INVALID', message: expect.stringContaining('role "admin" is unknown') } });
  });

  it('provisions the simulated fleet at start, so its terminals authenticate; broker figures are in /api/stats', async () => {
    await waitFor('the simulated terminals to connect', () => lw.fleet?.connected() === 3);
    expect(await lw.terminals.get('T-SIM-0001')).toMatchObject({ liftId: 'SIM-0001', enabled: true });
    const stats = await lw.get<{ broker: { connectedClients: number; connectionsAccepted: number; publishesIn: number } }>(`/api/stats`);
    expect(stats.broker.connectedClients).toBeGreaterThanOrEqual(3);
    expect(stats.broker.connectionsAccepted).toBeGreaterThanOrEqual(3);
  });

  it('the CLI provisions into the same database, with a token that the running broker accepts', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/src/terminals-cli.ts', 'add', 'CLI-1', '--data-dir', lw.dir.path], { cwd: new URL('../../', import.meta.url).pathname, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(stdout)));
    });
    const token = /token (lwt_\S+)/.exec(out)?.[1];
    expect(token).toBeDefined();
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('CLI-1', 'status'), message: status('CLI-1', 1), clientId: 'T-CLI-1', username: 'T-CLI-1', password: token! });
    expect((await lw.get<LiftSummary>(`/api/lifts/CLI-1`)).recordsTotal).toBe(1);
  });
});
