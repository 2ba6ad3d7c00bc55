import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetHealthView, TerminalCommandView, TerminalConfigView } from '@liftwatch/contract';
import { createEdgeAgent, createSimSource, type EdgeAgent } from '@liftwatch/edge-agent';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { credentials, startTestLiftwatch } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const spoolDir = tempDir();
const agents: EdgeAgent[] = [];
beforeAll(async () => { lw = await startTestLiftwatch(); });
afterAll(async () => {
  for (const a of agents) await a.close(500);
  await lw?.stop();
  spoolDir.remove();
});

/** A real edge agent with the simulator as its source, connected to the real broker with its own token. */
async function startAgent(liftId: string): Promise<EdgeAgent> {
  const { username, password } = await credentials(lw, liftId);
  const agent = createEdgeAgent({ brokerUrl: lw.mqttUrl, liftId, spoolPath: `${spoolDir.path}/${liftId}.db`, username, password, reconnectPeriodMs: 200 },
    { source: createSimSource({ liftId, seed: 7, speed: 60, tickMs: 250 }) });
  agents.push(agent);
  agent.start();
  return agent;
}
const post = async (path: string, body: unknown) => {
  const res = await lw.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const configOf = async (liftId: string) => (await lw.get<{ config: TerminalConfigView | null; commands: TerminalCommandView[] }>(`/api/lifts/${liftId}/terminal-config`));
const unacknowledged = async () => (await lw.get<{ terminals: TerminalConfigView[] }>('/api/terminal-config/unacknowledged')).terminals;

describe('remote configuration through the API, applied by real edge agents over the real broker', () => {
  it('an agent applies a pushed config and acknowledges it; an offline terminal is listed as never acknowledged until it connects and takes the retained config', async () => {
    const online = await startAgent('RC-1');
    await waitFor('RC-1 to send records', async () => ((await lw.get<{ recordsTotal: number }>('/api/lifts/RC-1').catch(() => undefined))?.recordsTotal ?? 0) > 0);
    expect(online.appliedConfig()).toBeUndefined();

    const pushed = await post('/api/terminal-config', { target: { liftIds: ['RC-1', 'RC-2'] }, settings: { statusIdleS: 20, deviceS: 45 } });
    expect(pushed).toEqual({ status: 201, body: { pushed: [{ liftId: 'RC-1', configVersion: 1 }, { liftId: 'RC-2', configVersion: 1 }] } });

    await waitFor('RC-1 to acknowledge config 1', async () => (await configOf('RC-1')).config?.state === 'acknowledged');
    expect(online.appliedConfig()).toMatchObject({ configVersion: 1, statusIdleS: 20, deviceS: 45 });
    await waitFor('status records held back by the new idle period', () => online.stats().statusThrottled > 0);
    expect((await configOf('RC-1')).config).toMatchObject({ desiredVersion: 1, ackedVersion: 1, desiredBy: 'admin', settings: { statusIdleS: 20, deviceS: 45 } });

    const waiting = await unacknowledged();
    expect(waiting.map((c) => [c.liftId, c.state])).toEqual([['RC-2', 'pending']]);
    expect(waiting[0]!.desiredAt).toBeGreaterThan(0);

    const late = await startAgent('RC-2');
    await waitFor('RC-2 to take the retained config and acknowledge it', async () => (await configOf('RC-2')).config?.state === 'acknowledged');
    expect(late.appliedConfig()).toMatchObject({ configVersion: 1, statusIdleS: 20 });
    expect(await unacknowledged()).toEqual([]);
  });

  it('a config the terminal cannot follow is shown as rejected with its reason, also in the fleet health view', async () => {
    const pushed = await post('/api/terminal-config', { target: { liftIds: ['RC-1'] }, settings: { statusMovingS: 0.1 } });
    expect(pushed.body).toEqual({ pushed: [{ liftId: 'RC-1', configVersion: 2 }] });
    await waitFor('RC-1 to refuse config 2', async () => (await configOf('RC-1')).config?.state === 'rejected');
    expect((await configOf('RC-1')).config).toMatchObject({ desiredVersion: 2, ackedVersion: 1, rejectedVersion: 2, rejectedReason: 'statusMovingS 0.1 s is shorter than this terminal reads the lift (every 0.25 s): give at least 0.25' });
    expect((await unacknowledged()).map((c) => [c.liftId, c.state])).toEqual([['RC-1', 'rejected']]);

    const fleet = await lw.get<FleetHealthView>('/api/terminal-health?problem=misconfigured');
    expect(fleet.counts.misconfigured).toBe(1);
    expect(fleet.terminals).toMatchObject([{ liftId: 'RC-1', fwVersion: 'liftwatch-edge-0.1.0', config: { state: 'rejected', rejectedReason: expect.stringContaining('statusMovingS 0.1 s') }, problems: ['misconfigured'] }]);
    expect((await post('/api/terminal-config', { target: { liftIds: ['RC-1'] }, settings: { statusMovingS: 0 } })).body).toMatchObject({ error: { code: 'LW_ERR_REQUEST_INVALID', message: expect.stringContaining('statusMovingS') } });
    expect((await post('/api/terminal-config', { target: { liftIds: ['RC-1'], areaCode: '330106' }, settings: {} })).body).toMatchObject({ error: { message: expect.stringContaining('give exactly one of liftIds, areaCode or maintenanceUnit') } });
  });

  it('a self-test command reaches the terminal and its result is recorded', async () => {
    const sent = await post('/api/terminal-commands', { target: { liftIds: ['RC-1'] }, cmd: 'selfTest' });
    expect(sent.status).toBe(201);
    const cmdId = (sent.body['sent'] as Array<{ cmdId: string }>)[0]!.cmdId;
    await waitFor('the self-test result', async () => (await configOf('RC-1')).commands.some((c) => c.cmdId === cmdId && c.resultAt !== null));
    expect((await configOf('RC-1')).commands.find((c) => c.cmdId === cmdId)).toMatchObject({ cmd: 'selfTest', ok: true, detail: 'the simulated alarm device answered', sentBy: 'admin' });
  });

  it('the CLI pushes through a dashboards service account and lists desired against acknowledged versions', async () => {
    const svc = await lw.terminals.add({ terminalId: 'svc-cli', role: 'dashboards' });
    const cli = (...args: string[]) => new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/src/terminal-config-cli.ts', ...args, '--data-dir', lw.dir.path], { cwd: new URL('../../', import.meta.url).pathname, timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(stdout)));
    });
    expect(await cli('push', '--lift', 'RC-2', '--set', 'deviceS=60', '--mqtt-url', lw.mqttUrl, '--username', 'svc-cli', '--password', svc.token)).toBe('RC-2\tconfig 2 sent\n');
    await waitFor('RC-2 to acknowledge config 2', async () => (await configOf('RC-2')).config?.ackedVersion === 2);
    expect(await cli('status', 'RC-2')).toMatch(/^RC-2\tdesired 2\tacknowledged 2\tacknowledged\tsince \d{4}-/);
    await expect(cli('push', '--lift', 'RC-2', '--set', 'deviceS=1')).rejects.toThrow(/setting deviceS expected number to be greater or equal to 10 \(got 1\)/);
  });
});
