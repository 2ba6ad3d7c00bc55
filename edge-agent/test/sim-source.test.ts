import { describe, expect, it } from 'vitest';
import { validateRecord } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { createLiftSim } from '@liftwatch/simulator';
import { createSimSource, summarizeDoor, summarizeTrip, type DoorRaw, type RecordDraft, type TripRaw } from '../src/index.js';
import { T0 } from './sim-windows.js';

/** A simulated source whose clock jumps 30 minutes at once, and what reached its sink. */
async function thirtyMinutes(raw: boolean) {
  let clock = T0;
  const got = { drafts: [] as RecordDraft[], trips: [] as TripRaw[], doors: [] as DoorRaw[] };
  const source = createSimSource({ liftId: 'SRC-1', seed: 3, trafficScale: 3, raw, now: () => clock, tickMs: 5 });
  source.start({ emit: (d) => got.drafts.push(...d), trip: (r) => got.trips.push(r), door: (r) => got.doors.push(r), log: () => undefined });
  clock += 30 * 60_000;
  await waitFor('the next tick', () => got.drafts.some((d) => d.stream === 'status' && (d.record['ts'] as number) > T0));
  await source.stop();
  return got;
}

describe('the simulator as a sensor source', () => {
  it('sends the simulator\'s own trip and door summaries by default', async () => {
    const got = await thirtyMinutes(false);
    expect(got.drafts.filter((d) => d.stream === 'trip').length).toBeGreaterThan(5);
    expect(got.trips).toEqual([]);
  });

  it('with raw, hands the edge computation the trip and door signals instead, as a terminal\'s sensors', async () => {
    const got = await thirtyMinutes(true);
    expect(got.drafts.filter((d) => d.stream === 'trip' || d.stream === 'door')).toEqual([]);
    expect(got.trips.length).toBeGreaterThan(5);
    expect(got.doors.length).toBeGreaterThan(5);
    for (const t of got.trips) expect(validateRecord('trip', 'SRC-1', { schemaVersion: 1, liftId: 'SRC-1', seq: 1, ts: T0, ...summarizeTrip(t) }).ok).toBe(true);
    for (const d of got.doors) expect(validateRecord('door', 'SRC-1', { schemaVersion: 1, liftId: 'SRC-1', seq: 1, ts: T0, ...summarizeDoor(d) }).ok).toBe(true);
    expect(got.drafts.filter((d) => d.stream === 'status').length).toBeGreaterThan(0); // the rest still comes from the simulator
  });
});

describe('a simulated lift that goes on from its history (the demo fleet)', () => {
  it('runs `speed` times faster while behind the wall clock, with its records\' own times, then in real time at full fidelity', async () => {
    const behind = createLiftSim({ liftId: 'GO-1', seed: 5, startMs: T0 - 3_600_000, fidelity: 'summary', trafficScale: 3 });
    behind.advanceTo(T0 - 3_600_000 + 60_000);
    let clock = T0;
    const drafts: RecordDraft[] = [];
    const source = createSimSource({ liftId: 'GO-1', seed: 5, sim: behind, speed: 60, now: () => clock, tickMs: 5 });
    source.start({ emit: (d) => drafts.push(...d), trip: () => undefined, door: () => undefined, log: () => undefined });
    clock += 30_000; // 30 s at 60×: 30 simulated minutes, still behind
    await waitFor('half an hour of simulated time', () => behind.now() === T0 - 3_600_000 + 60_000 + 30 * 60_000);
    const caughtUpTo = (ts: number) => drafts.filter((d) => (d.record['ts'] as number) > ts).length;
    expect(caughtUpTo(T0 - 3_600_000 + 60_000 + 30 * 60_000)).toBe(0); // nothing from the future of the lift's clock
    const movingBefore = drafts.filter((d) => d.stream === 'status' && d.record['speedMps'] !== 0).length;
    expect(movingBefore).toBe(0); // summary fidelity while catching up
    clock += 60_000; // past the wall clock: level, then in step with it
    await waitFor('the lift level with the wall clock', () => behind.now() === clock);
    clock += 20 * 60_000;
    await waitFor('twenty minutes in real time', () => behind.now() === clock);
    await source.stop();
    expect(drafts.filter((d) => d.stream === 'status' && d.record['speedMps'] !== 0).length).toBeGreaterThan(20); // full fidelity now
    expect(Math.max(...drafts.map((d) => d.record['ts'] as number))).toBeLessThanOrEqual(clock);
  });
});
