import { describe, expect, it } from 'vitest';
import { validateRecord } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
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
