import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type LiftSummary } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { authed, login, TEST_ADMIN_PASSWORD, terminal } from './helpers.js';

/**
 * A real full disk: the data directory is on a 64 MiB tmpfs that the test fills with a file until
 * ENOSPC, then frees. Mounting needs root, as the test machines and CI run; SQLite then fails as it
 * does on a full disk in the field (SQLITE_FULL from the WAL and the database file), on the writer
 * thread of the all-in-one process, rather than through a simulated limit.
 */
let mountDir: string;
let lw: Running | undefined;
const lines: string[] = [];
beforeAll(() => {
  mountDir = mkdtempSync(join(tmpdir(), 'liftwatch-full-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountDir]);
});
afterAll(async () => {
  await lw?.close();
  execFileSync('umount', [mountDir]);
  rmSync(mountDir, { recursive: true, force: true });
});

/** Writes a file until the file system has no byte left; returns its path. */
function fillDisk(path: string): string {
  const fd = openSync(path, 'w');
  try {
    for (let chunk = 1 << 20; chunk >= 512; chunk >>= 1) {
      const bytes = Buffer.alloc(chunk, 7);
      for (;;) {
        try { writeSync(fd, bytes); } catch { break; } // ENOSPC: try a smaller chunk
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

const trips = (from: number, n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ ...GOLDEN.trip, liftId: 'FULL-1', seq: from + i, ts: Date.now() - 60_000 + i })));

describe('a full disk', () => {
  it('readiness says the store cannot write; the terminal keeps its connection, gets no acknowledgement until there is room, and then loses nothing', async () => {
    lw = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: join(mountDir, 'data'), adminPassword: TEST_ADMIN_PASSWORD, models: false }), (l) => lines.push(l));
    const running = lw;
    const admin = authed(running.httpUrl, await login(running.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
    const client: MqttClient = await terminal(running, 'FULL-1');
    let disconnects = 0;
    client.on('close', () => disconnects++);
    const topic = liftTopic('FULL-1', 'trip');
    await client.publishAsync(topic, trips(1, 1), { qos: 1 });
    const readyz = async () => fetch(`${running.httpUrl}/readyz`);
    expect((await readyz()).status).toBe(200);

    const filler = fillDisk(join(mountDir, 'filler'));
    // Messages of 200 records until one cannot be stored: that one is held, without acknowledgement.
    const acked: number[] = [];
    let seq = 2;
    let held: Promise<unknown> | undefined;
    for (let m = 0; m < 100 && !held; m++) {
      let stored = false;
      const p = client.publishAsync(topic, trips(seq, 200), { qos: 1 }).then(() => { stored = true; acked.push(m); });
      seq += 200;
      const outcome = await waitFor('the message stored or held', async () => (stored ? 'stored' : (await readyz()).status === 503 ? 'held' : undefined), 30_000);
      if (outcome === 'held') held = p;
    }
    expect(held).toBeDefined();
    const behind = [0, 1, 2].map(() => { const p = client.publishAsync(topic, trips(seq, 200), { qos: 1 }); seq += 200; return p; });

    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, checks: [{ name: 'store', ok: false, detail: expect.stringMatching(/the store cannot write since .*full/) }] });
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200); // alive, not ready
    // Held and stored again with backoff, while the connection stays.
    await waitFor('the held message to be tried again', async () => ((await admin.get<{ broker: { publishesHeld: number } }>('/api/stats')).broker.publishesHeld >= 3 ? true : undefined), 20_000);
    const ackedWhileFull = acked.length;
    const loginWhileFull = await fetch(`${running.httpUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    expect([200, 503]).toContain(loginWhileFull.status); // not a 500: a session that cannot be written is LW_ERR_STORAGE
    if (loginWhileFull.status === 503) expect(await loginWhileFull.json()).toMatchObject({ error: { code: 'LW_ERR_STORAGE', message: expect.stringContaining('free disk space') } });

    rmSync(filler);
    await Promise.all([held, ...behind]);
    expect(acked.length).toBe(ackedWhileFull + 1);
    expect(client.connected).toBe(true);
    expect(disconnects).toBe(0);
    await waitFor('readiness back', async () => ((await readyz()).status === 200 ? true : undefined), 20_000);
    const lift = await admin.get<LiftSummary>('/api/lifts/FULL-1');
    expect(lift.recordsTotal).toBe(seq - 1);
    // Refusals counted, logged at a bounded rate.
    expect(lines.filter((l) => l.includes('store failed')).length).toBeLessThanOrEqual(3);
    expect(lines.filter((l) => l.includes('held without acknowledgement')).length).toBeLessThanOrEqual(3);
    const metrics = await (await fetch(`${running.httpUrl}/metrics`)).text();
    expect(Number(/liftwatch_ingest_refused_store_failed_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    await client.endAsync();
  });
});
