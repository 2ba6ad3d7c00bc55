import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { HUAWEI_CSV } from './data.js';
import { api, exited, freePort, ROOT, startPlatform } from './platform-process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('CSV replay of the Huawei file through the liftwatch platform', () => {
  it('every signal (bearing, humidity, vibration) arrives in the platform\'s store, none in the future, and the agent exits with a summary', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const port = await freePort();
    const platform = await startPlatform(cleanups, join(dir.path, 'platform'), port);
    const agent = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/src/cli.ts', 'run', '--broker', `mqtt://127.0.0.1:${port}`, '--lift', 'HUAWEI-1',
      '--source', 'csv', '--csv', HUAWEI_CSV, '--csv-speed', '0', '--spool', join(dir.path, 'spool.db'), '--first-seq', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => { if (agent.exitCode === null) agent.kill('SIGKILL'); });
    let out = '';
    agent.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    agent.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    await exited(agent);
    expect(agent.exitCode, out).toBe(0);
    expect(out).toMatch(/done: 112001 rows, 5763 with a bad cell \(ball-bearing 535, vibration 5242\); 467 env records with env.bearingRev, env.machineRoomRhPct, env.vibrationDb/);
    expect(out).toMatch(/line 12, column 3 \(vibration\): "18. Jan" is not a number/);
    expect(out).toMatch(/0 left in the spool/);

    const { records } = await api<{ records: Array<{ ts: number; receivedAt: number; record: Record<string, unknown> }> }>(platform.httpUrl, '/api/lifts/HUAWEI-1/records?stream=env&limit=1000');
    expect(records).toHaveLength(467);
    for (const r of records) {
      expect(Object.keys(r.record)).toEqual(expect.arrayContaining(['bearingRev', 'machineRoomRhPct', 'vibrationDb']));
      expect(r.ts).toBeLessThanOrEqual(r.receivedAt);
    }
    const dead = await api<{ total: number }>(platform.httpUrl, '/api/dead-letters');
    expect(dead.total).toBe(0);
    platform.kill('SIGTERM');
    await exited(platform);
  });
});
