import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiftSummary } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createEdgeAgent, createSimSource, openSqliteSpool } from '../src/index.js';
import { api, exited, freePort, startPlatform } from './platform-process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the edge agent against the liftwatch platform', () => {
  it('every record arrives in the platform\'s store, valid, across a crash (kill -9) and restart of the platform', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const dataDir = join(dir.path, 'platform');
    const port = await freePort();
    // The simulation runs 200 times faster than real time, so its records are stamped up to hours ahead
    // of the server's clock: the platform is told to store them (by default it refuses records > 5 min ahead).
    const fast = ['--clock-max-ahead-s', '86400'];
    let platform = await startPlatform(cleanups, dataDir, port, fast);

    const liftId = 'E2E-1';
    const firstSeq = 1;
    const spoolPath = join(dir.path, 'spool.db');
    const agent = createEdgeAgent({ brokerUrl: `mqtt://127.0.0.1:${port}`, liftId, spoolPath, firstSeq, statusQos: 1, reconnectPeriodMs: 200 },
      { source: createSimSource({ liftId, seed: 11, trafficScale: 6, speed: 200, tickMs: 50 }) });
    agent.start();
    await waitFor('records acknowledged by the platform', () => agent.stats().publisher.sent >= 50, 20_000);

    platform.kill('SIGKILL');
    await exited(platform);
    await waitFor('a backlog while the platform is down', () => agent.stats().spool.backlog >= 20, 20_000);
    platform = await startPlatform(cleanups, dataDir, port, fast);
    await waitFor('the backlog to drain', () => agent.stats().publisher.connected && agent.stats().spool.backlog < 5, 20_000);
    await agent.close(10_000);
    platform.kill('SIGTERM');
    await exited(platform);

    const spool = openSqliteSpool({ path: spoolPath });
    const nextSeq = spool.nextSeq(liftId);
    expect(spool.stats(liftId).backlog).toBe(0);
    spool.close();
    const db = new Database(join(dataDir, 'liftwatch.db'), { readonly: true });
    const seqs = (db.prepare('SELECT seq FROM records WHERE lift_id = ? ORDER BY seq').all(liftId) as Array<{ seq: number }>).map((r) => r.seq);
    const deadLetters = db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get() as { n: number };
    db.close();
    expect(seqs).toEqual(Array.from({ length: nextSeq - firstSeq }, (_, i) => firstSeq + i));
    expect(deadLetters.n).toBe(0);
  });

  it('npm start -- --simulate N: the demo fleet runs on the agent and its records are stored, none dead-lettered', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const platform = await startPlatform(cleanups, join(dir.path, 'platform'), await freePort(), ['--simulate', '3']);
    const lifts = await waitFor('three simulated lifts with records', async () => {
      const list = await api<{ lifts: LiftSummary[] }>(platform.httpUrl, '/api/lifts');
      return list.lifts.length === 3 && list.lifts.every((l) => l.recordsTotal >= 2) ? list.lifts : undefined;
    }, 20_000);
    expect(lifts.map((l) => l.liftId).sort()).toEqual(['SIM-0001', 'SIM-0002', 'SIM-0003']);
    const dead = await api<{ total: number; deadLetters: unknown[] }>(platform.httpUrl, '/api/dead-letters');
    expect(dead.total).toBe(0);
    platform.kill('SIGTERM');
    await exited(platform);
  });
});
