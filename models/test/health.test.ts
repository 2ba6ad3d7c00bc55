import { describe, expect, it } from 'vitest';
import type { LiftRecord } from '@liftwatch/contract';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';
import { computeHealth } from '../src/health/health.js';
import type { LiftEvents, PlatformAlert } from '../src/health/platform-events.js';
import { simulatedDoorWear } from '../src/health/simulated-history.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = Date.UTC(2026, 2, 1);
const sim = simulatedDoorWear('HT-1', { end: at, days: 45, wornFromDay: Infinity, trafficScale: 0.1, visitEveryDays: 0 });

/** The lift's state after its records (each door record changed by `door` when given). */
function stateOf(records: readonly LiftRecord[], door?: (d: AnyRecord) => AnyRecord): LiftFeatureState {
  const st = new LiftFeatureState('HT-1');
  for (const r of records) st.add(r.stream, door && r.stream === 'door' ? door(r.record as unknown as AnyRecord) : r.record as unknown as AnyRecord);
  return st;
}
const healthy = stateOf(sim.records);
let ids = 0;
const alert = (code: string, severity: PlatformAlert['severity'], openedAt: number, more: Partial<PlatformAlert> = {}): PlatformAlert =>
  ({ id: ++ids, code, severity, openedAt, lastSeenAt: openedAt, occurrences: 1, clearedAt: null, closedAt: null, falseAlarm: false, ...more });
const events = (alerts: PlatformAlert[], visits: number[] = []): LiftEvents => ({ alerts, visits });

describe('health score from the streaming state and the platform\'s events', () => {
  it('a healthy, well-observed lift scores high with six components, confidence and a final grade', () => {
    const h = computeHealth(healthy, at);
    expect(h.components.map((c) => c.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(h.score).toBeGreaterThanOrEqual(85);
    expect(h.grade).toBe('A');
    expect(h.provisional).toBe(false);
    expect(h.confidence).toBeGreaterThan(0.9);
    expect(h.caps).toEqual([]);
    expect(h.paramsVersion).toBe('2.0.0');
  });

  it('caps a lift with an open P1 alert at 40, whatever its condition, and names the alert', () => {
    const h = computeHealth(healthy, at, { events: events([alert('E03', 'P1', at - HOUR), alert('E04', 'P1', at - 2 * HOUR)]) });
    expect(h.score).toBeLessThanOrEqual(40);
    expect(h.caps[0]).toMatchObject({ cap: 40, key: 'cap.activeP1', evidence: [expect.stringMatching(/^HT-1\/alert\/\d+$/), expect.any(String)] });
    expect(h.components.find((c) => c.id === 'S1')!.score).toBeLessThan(50); // the platform's P1s are safety events
    // once released and closed it still weighs: E03 in the last 7 days caps at 50
    const later = computeHealth(healthy, at, { events: events([alert('E03', 'P1', at - 2 * DAY, { clearedAt: at - 2 * DAY + 60_000, closedAt: at - DAY })]) });
    expect(later.caps.map((c) => c.cap)).toEqual([50]);
    // a false alarm is no event at all
    const none = computeHealth(healthy, at, { events: events([alert('E03', 'P1', at - 2 * DAY, { closedAt: at - DAY, falseAlarm: true })]) });
    expect(none.score).toBe(computeHealth(healthy, at).score);
  });

  it('an entrapment not released caps at 40; entrapments and downtime lower S2', () => {
    const trapped = computeHealth(healthy, at, { events: events([alert('E01', 'P1', at - 10 * 60_000)]) });
    expect(trapped.score).toBeLessThanOrEqual(40);
    const released = computeHealth(healthy, at, { events: events([alert('E01', 'P1', at - 5 * DAY, { clearedAt: at - 5 * DAY + HOUR, closedAt: at - 5 * DAY + 2 * HOUR })]) });
    expect(released.components.find((c) => c.id === 'S2')!.score).toBeLessThan(90);
  });

  it('a lift with recorded visits loses maintenance points when a visit is overdue, and is capped at 60', () => {
    const onTime = computeHealth(healthy, at, { events: events([], [at - 40 * DAY, at - 26 * DAY, at - 12 * DAY]) });
    expect(onTime.components.find((c) => c.id === 'S6')!.score).toBe(100);
    const overdue = computeHealth(healthy, at, { events: events([], [at - 40 * DAY, at - 25 * DAY]) });
    const s6 = overdue.components.find((c) => c.id === 'S6')!;
    expect(s6.score).toBeLessThan(100);
    expect(s6.key).toBe('S6');
    expect(overdue.caps).toContainEqual(expect.objectContaining({ cap: 60, key: 'cap.maintenanceOverdue' }));
    // a lift without any recorded visit is not scored on visits
    expect(computeHealth(healthy, at).components.find((c) => c.id === 'S6')).toMatchObject({ score: 100, key: 'S6.noVisits' });
  });

  it('a door that closes in 7 s is not an A: against the GB/T 10058 door time, whether it drifted there or always was', () => {
    const slow = (d: AnyRecord) => ({ ...d, closeS: 7 });
    const drifted = stateOf(sim.records, (d) => (d.ts > at - 2 * DAY ? slow(d) : d));
    const h = computeHealth(drifted, at);
    expect(h.grade).not.toBe('A');
    expect(h.caps).toContainEqual(expect.objectContaining({ key: 'cap.doorLimit' }));
    expect(h.reasons[0]).toMatchObject({ component: 'S3', key: 'S3', params: expect.objectContaining({ closeLimitS: 4 }) });
    // a lift seen for a few hours, always slow: provisional, and still not an A
    const fresh = stateOf(sim.records.filter((r) => r.record.ts > at - 6 * HOUR), slow);
    const f = computeHealth(fresh, at);
    expect(f.grade).not.toBe('A');
    expect(f.grade).not.toBeUndefined();
  });

  it('grades a lift from its first hours, provisionally and with its confidence', () => {
    const hours = stateOf(sim.records.filter((r) => r.record.ts > at - 6 * HOUR));
    const h = computeHealth(hours, at);
    expect(h.grade).toBe('A');
    expect(h.provisional).toBe(true);
    expect(h.confidence).toBeGreaterThan(0);
    expect(h.confidence).toBeLessThan(0.6);
    // before its first trips, no grade
    expect(computeHealth(new LiftFeatureState('HT-1'), at)).toMatchObject({ grade: undefined, provisional: false, confidence: 0 });
    // a quiet week after weeks of use (the recent level has decayed, the baseline holds): still graded
    expect(computeHealth(healthy, at + 7 * DAY).grade).toMatch(/^[A-E]$/);
  });

  it('is monotone: more safety events never raise the score', () => {
    let last = 101;
    for (let n = 0; n <= 4; n++) {
      const h = computeHealth(healthy, at, { events: events(Array.from({ length: n }, (_, i) => alert('E08', 'P2', at - (10 + i) * DAY, { closedAt: at - (9 + i) * DAY }))) });
      expect(h.score).toBeLessThanOrEqual(last);
      last = h.score;
    }
  });
});
