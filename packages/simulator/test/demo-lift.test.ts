import { describe, expect, it } from 'vitest';
import { demoLift, loadMix, simulateLift } from '../src/index.js';

const END = Date.UTC(2026, 11, 1, 4, 0, 0);
const HOUR = 3_600_000;
const mix = loadMix('city-mixed');

describe('a demo lift: a lift of a mix with a history, then live', () => {
  it('is the same lift as in the fleet generator, under the platform\'s id, its history ending at the given time', () => {
    const lift = demoLift(mix, 1, 7, { liftId: 'SIM-0008', endMs: END, days: 3 });
    expect(lift.draw.faults).toEqual(simulateLift(mix, 1, 7, 3).draw.faults);
    expect(lift.startMs).toBe(END - 3 * 86_400_000);
    let hours = 0;
    let last = lift.startMs;
    for (const h of lift.history()) {
      hours++;
      for (const r of h.records) {
        expect(r.record.liftId).toBe('SIM-0008');
        expect(r.record.ts).toBeGreaterThanOrEqual(last - HOUR);
        expect(r.record.ts).toBeLessThanOrEqual(h.untilMs);
      }
      last = h.untilMs;
    }
    expect(hours).toBe(72);
    expect(lift.sim.now()).toBe(END);
    expect(lift.registry()).toMatchObject({ stream: 'registry', record: { liftId: 'SIM-0008', ratedSpeedMps: lift.sim.ratedSpeedMps, highestFloor: lift.sim.floors } });
  });

  it('goes on from where its history ended, with status every second while moving once it runs at full fidelity', () => {
    const lift = demoLift(mix, 1, 2, { liftId: 'SIM-0003', endMs: END, days: 1 });
    const history = [...lift.history()].flatMap((h) => h.records);
    const lastSeq = Math.max(...history.map((r) => r.record.seq));
    const moving = (rs: typeof history) => rs.filter((r) => r.stream === 'status' && (r.record as { speedMps: number }).speedMps !== 0).length;
    expect(moving(history)).toBe(0); // summary: heartbeats and changes of service mode only
    lift.sim.setFidelity('full');
    const live = lift.sim.advanceTo(END + 2 * HOUR);
    expect(live.length).toBeGreaterThan(0);
    expect(Math.min(...live.map((r) => r.record.ts))).toBeGreaterThanOrEqual(END);
    expect(Math.min(...live.map((r) => r.record.seq))).toBeGreaterThan(lastSeq);
    expect(moving(live)).toBeGreaterThan(100);
  });

  it('has its routine visits on a day of its own in the period, so that a fleet does not go into inspection the same morning', () => {
    const every = mix.maintenance.everyDays;
    const firstVisitDay = (i: number): number => {
      const lift = demoLift(mix, 1, i, { liftId: `V-${i}`, endMs: END, days: every + 1 });
      const visits = [...lift.history()].flatMap((h) => h.truth).filter((t) => t.type === 'maintenance' && t.visit === 'routine');
      expect(visits.length).toBeGreaterThan(0);
      return Math.floor((visits[0]!.ts - lift.startMs) / 86_400_000);
    };
    const days = Array.from({ length: every }, (_, i) => firstVisitDay(i));
    expect(new Set(days).size).toBe(every);
  });

  it('says how soon its worst fault would fail, so that the degrading lifts of a fleet can come first', () => {
    const lifts = Array.from({ length: 60 }, (_, i) => demoLift(mix, 1, i, { liftId: `L-${i}`, endMs: END, days: 60 }));
    const degrading = lifts.filter((l) => l.failsInDays !== null);
    // city-mixed: roughly one lift in three has a fault acting at the end of 60 days; some, not all.
    expect(degrading.length).toBeGreaterThan(5);
    expect(degrading.length).toBeLessThan(45);
    for (const l of degrading) expect(l.draw.faults.some((f) => f.onsetDay < 60)).toBe(true);
  });
});
