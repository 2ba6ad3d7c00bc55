import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, type FaultRecord } from '@liftwatch/contract';
import { createSqliteTelemetry } from '@liftwatch/ingest';
import type { LiftRecords } from '../src/features/lift-records.js';
import { computeHealth } from '../src/health/health.js';
import { recomputeHealth } from '../src/health/recompute.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';

const DAY = 86_400_000;
const at = Date.UTC(2026, 2, 1);
const sim = simulatedDoorWear('HT-1', { end: at, days: 45, wornFromDay: Infinity, trafficScale: 0.1 });
const healthy = { from: at - 45 * DAY, records: { liftId: 'HT-1', trips: sim.trips, doors: sim.doors, envs: sim.envs, faults: sim.faults } };
let seq = 10_000_000;
const fault = (code: string, ts: number, state: 'raised' | 'cleared' = 'raised', severity: FaultRecord['severity'] = 'P2'): FaultRecord =>
  ({ schemaVersion: CONTRACT_VERSION, liftId: healthy.records.liftId, seq: seq++, ts, code, state, severity, detector: 'controller' });
const withFaults = (faults: FaultRecord[]): LiftRecords => ({ ...healthy.records, faults: [...healthy.records.faults, ...faults].sort((a, b) => a.ts - b.ts) });

describe('health score', () => {
  it('a healthy, well-observed lift scores high with six components, confidence and a grade', () => {
    const h = computeHealth(withFaults([]), at);
    expect(h.components.map((c) => c.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(h.score).toBeGreaterThanOrEqual(85);
    expect(h.grade).toBe('A');
    expect(h.confidence).toBeGreaterThan(0.9);
    expect(h.caps).toEqual([]);
    expect(h.paramsVersion).toBe('1.0.0');
  });

  it('caps the score for UCM in the last 7 days (50), 30 days (70) and an active P1 (40), naming the evidence', () => {
    const ucm = computeHealth(withFaults([fault('E02', at - 2 * DAY, 'raised', 'P1'), fault('E02', at - 2 * DAY + 60_000, 'cleared', 'P1')]), at);
    expect(ucm.score).toBeLessThanOrEqual(50);
    expect(ucm.grade).toBe('D');
    expect(ucm.caps[0]).toMatchObject({ cap: 50, evidence: [expect.stringMatching(/\/fault\//)] });
    const old = computeHealth(withFaults([fault('E02', at - 20 * DAY, 'raised', 'P1'), fault('E02', at - 20 * DAY + 60_000, 'cleared', 'P1')]), at);
    expect(old.caps.map((c) => c.cap)).toEqual([70]);
    expect(old.score).toBeLessThanOrEqual(70);
    const trapped = computeHealth(withFaults([fault('E01', at - 600_000, 'raised', 'P1')]), at);
    expect(trapped.score).toBeLessThanOrEqual(40);
    expect(trapped.grade).toBe('D'); // 40 is the lower bound of D
  });

  it('caps at 60 for three chain opens in 7 days, and the top reasons carry evidence ids', () => {
    const h = computeHealth(withFaults([1, 2, 3].map((d) => fault('E07', at - d * DAY))), at);
    expect(h.caps.map((c) => c.cap)).toContain(60);
    expect(h.score).toBeLessThanOrEqual(60);
    expect(h.reasons[0]).toMatchObject({ component: 'S1' });
    expect(h.reasons[0]!.evidence.length).toBe(3);
  });

  it('is monotone: more safety events never raise the score', () => {
    let last = 101;
    for (let n = 0; n <= 4; n++) {
      const h = computeHealth(withFaults(Array.from({ length: n }, (_, i) => fault('E08', at - (10 + i) * DAY))), at);
      expect(h.score).toBeLessThanOrEqual(last);
      last = h.score;
    }
  });

  it('says "insufficient data" (no grade) when the lift was barely observed', () => {
    const h = computeHealth(withFaults([]), healthy.from + 5 * DAY);
    expect(h.confidence).toBeLessThan(0.6);
    expect(h.grade).toBeUndefined();
  });

  it('recompute from the stored records (SQLite telemetry store) gives the same number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-health-'));
    const db = new Database(join(dir, 'liftwatch.db'));
    try {
      const store = createSqliteTelemetry(db);
      const recs = withFaults([fault('E07', at - 3 * DAY), fault('E09', at - 4 * DAY)]);
      const rows = ([['trip', recs.trips], ['door', recs.doors], ['env', recs.envs], ['fault', recs.faults]] as const)
        .flatMap(([stream, list]) => list.map((r) => ({ liftId: r.liftId, stream, seq: r.seq, ts: r.ts, rx: r.ts, record: r as unknown as Record<string, unknown> })));
      await store.write(rows);
      const again = await recomputeHealth(store, recs.liftId, at);
      const direct = computeHealth(recs, at);
      expect(again).toEqual(direct);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
