import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLiftSim } from '@liftwatch/simulator';
import { FEATURE_NAMES, featureVector } from '../src/features/definition.js';
import { computeStats, type FeatureStats } from '../src/features/feature-stats.js';
import { BLOCK_BYTES, LAYOUT_VERSION } from '../src/features/layout.js';
import { LiftFeatureState, type AnyRecord } from '../src/features/lift-state.js';
import { createStateArena } from '../src/features/state-arena.js';
import { loadState, saveState, STATE_LAYOUT } from '../src/features/state-codec.js';
import { stateFromJsonV1 } from '../src/features/state-json-v1.js';
import { LAYOUT3, PREVIOUS_FEATURE_VERSION } from '../src/features/state-layout3.js';
import { LAYOUT4 } from '../src/features/state-layout4.js';
import { LAYOUT5_FEATURE_VERSIONS } from '../src/features/state-layout5.js';
import { LAYOUT6_FEATURE_VERSIONS } from '../src/features/state-layout6.js';
import { computeStats as objectStats } from './object-state/feature-stats.js';
import { LiftFeatureState as ObjectState } from './object-state/lift-state.js';
import { expectCloseStats, FLOAT_SUMS_TOLERANCE } from './close-stats.js';
import { stateToJson as objectToJson } from './object-state/state-codec.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

type Row = { stream: string; record: AnyRecord };

/**
 * 50 days of a simulated lift with door, lock and brake wear, faults, visits and every status
 * record, sent as a terminal with a bad link would: duplicates, records overtaken by the next,
 * a burst replayed after a reconnect.
 */
function rows(seed: number, days = 50): Row[] {
  const sim = createLiftSim({
    liftId: `CS-${seed}`, seed, startMs: START, fidelity: 'fast', floors: 12,
    faults: [
      { id: 'door', kind: 'doorFrictionWear', onsetDay: 8, law: { type: 'linear', failDays: 25 } },
      { id: 'brake', kind: 'brakeSpringLoss', onsetDay: 4, law: { type: 'linear', failDays: 50 } },
      { id: 'lock', kind: 'lockContactWear', floor: 2, onsetDay: 1, law: { type: 'linear', failDays: 20 } },
    ],
    maintenance: { everyDays: 12, restore: { doorOperator: 0.5, brake: 0.5 } },
  });
  const all = sim.advanceTo(START + days * DAY) as unknown as Row[];
  return all.flatMap((r, i) => {
    if (i % 211 === 0 && i > 0) return [r, all[i - 1]!]; // a duplicate of the record before
    if (i % 307 === 0 && i > 1) return [all[i - 2]!, r]; // an older record arriving late
    if (i % 5003 === 0 && i > 40) return [...all.slice(i - 40, i), r]; // a reconnect replaying 40 records
    return [r];
  });
}

/** Features added since feature version 2.0.0; the others kept their names, order and meaning. */
const ADDED = ['worstLandingLockDrift', 'worstLandingLockSpread', 'slowLocksPerDayWorstLanding', 'doorObstructedShare', 'doorObstructedExcess', 'slowLocksWeekWorstLanding', 'doorObstructedShareWeek',
  'slipDayMm', 'stopErrDayMm', 'relevelsPer100Day',
  'sinkAtRatedLoadDayMm', 'sinkAtRatedLoadWeekMm', 'thermalResistanceDay', 'thermalResistanceWeek', 'thermalResistanceDriftLong', 'windingMaxDayC'];
const PREVIOUS_NAMES = FEATURE_NAMES.filter((n) => !ADDED.includes(n));

/**
 * The object state is the reference of feature version 2.0.0: what the compact state added since
 * (the landing slots of the lock-made delay, obstructed closes) is checked against a batch
 * computation in streaming-features.test.ts, and taken from the compact state here.
 */
function asObject(stats: FeatureStats): unknown {
  const { worstLandingLock: _w, slowLocksPerDay: _s, slowLocksWeek: _sw, obstructedWeek: _ow, obstructed: _o, ...door } = stats.door;
  const { sink: _k, ...trip } = stats.trip;
  const { thermalResistance: _t, ...env } = stats.env;
  return { ...stats, door, trip, env };
}
const withAdded = (old: ReturnType<typeof objectStats>, from: FeatureStats): FeatureStats =>
  ({ ...old, trip: { ...old.trip, sink: from.trip.sink }, env: { ...old.env, thermalResistance: from.env.thermalResistance }, door: { ...old.door, worstLandingLock: from.door.worstLandingLock, slowLocksPerDay: from.door.slowLocksPerDay, slowLocksWeek: from.door.slowLocksWeek, obstructedWeek: from.door.obstructedWeek, obstructed: from.door.obstructed } });

/** The motor's thermal resistance (2.7.0): no earlier layout kept its sums. */
const THERMAL_FEATURES = FEATURE_NAMES.filter((n) => n.startsWith('thermalResistance'));

/**
 * A converted state's thermal resistance is that of the records since the conversion (`after`: a
 * state that saw only those). The converted state knew its newest environment record, so its first
 * one after the conversion adds its rise where `after`'s first adds none: within 0.5 %.
 */
function expectThermalSinceConversion(later: (n: string) => number, after: (n: string) => number): void {
  expectCloseStats(THERMAL_FEATURES.map(later), THERMAL_FEATURES.map(after), 'thermal resistance since the conversion', 5e-3);
  expect(later('thermalResistanceDay')).toBeGreaterThan(100);
}

type Fixture = { liftId: string; layout: string; at: number; block: string; features: Record<string, number | null> };

/**
 * A checkpoint saved by the previous code (`fixtures-data/<file>`), loaded as `layout` into an arena's
 * block, beside the same lift's records replayed afresh up to its time (`fresh`) and a state that
 * will see only the records after it (`after`); `names` are the features the checkpoint recorded.
 */
function takeOver(file: string, layout: (f: Fixture) => string, lift: Omit<Parameters<typeof createLiftSim>[0], 'startMs' | 'fidelity'>) {
  const fixture = JSON.parse(readFileSync(new URL(`./fixtures-data/${file}`, import.meta.url), 'utf8')) as Fixture;
  const all = createLiftSim({ ...lift, startMs: START, fidelity: 'fast' }).advanceTo(START + 32 * DAY) as unknown as Row[];
  const st = loadState(fixture.liftId, { layout: layout(fixture), block: Buffer.from(fixture.block, 'base64') }, createStateArena(2).take());
  const fresh = new LiftFeatureState(fixture.liftId);
  const after = new LiftFeatureState(fixture.liftId);
  for (const r of all.filter((x) => x.record.ts <= fixture.at)) fresh.add(r.stream, r.record);
  const names = Object.keys(fixture.features);
  const read = (s: LiftFeatureState, at: number) => { const f = featureVector(computeStats(s, at)); return (n: string) => f[FEATURE_NAMES.indexOf(n)]!; };
  /** Feeds the records after the checkpoint's time to the converted state, the fresh one and `after`; the time they end at and the converted state's features then. */
  const goOn = () => {
    for (const r of all.filter((x) => x.record.ts > fixture.at)) { st.add(r.stream, r.record); fresh.add(r.stream, r.record); after.add(r.stream, r.record); }
    const at = START + 32 * DAY;
    return { at, later: read(st, at) };
  };
  return { fixture, st, fresh, after, names, read, now: read(st, fixture.at), goOn };
}

/** The checkpoint's layout is `layout`, and the features it recorded are the first of today's, as it recorded them and as a replay gives them. */
function expectPreviousFeatures(t: ReturnType<typeof takeOver>, layout: string): void {
  expect(t.fixture.layout).toBe(layout);
  expect(t.names).toEqual(FEATURE_NAMES.slice(0, t.names.length)); // the previous version's features are the first ones, in their order
  expectCloseStats(t.names.map(t.now), t.names.map((n) => t.fixture.features[n] ?? NaN), 'features of the previous version');
  expectCloseStats(t.names.map(t.now), t.names.map(t.read(t.fresh, t.fixture.at)), 'features of the previous version, replayed');
}

/** The converted state saves in today's layout, and the checkpoint cut short is refused. */
function expectSavedAsToday(t: ReturnType<typeof takeOver>): void {
  expect(saveState(t.st).layout).toBe(STATE_LAYOUT);
  expect(() => loadState(t.fixture.liftId, { layout: t.fixture.layout, block: Buffer.from(t.fixture.block, 'base64').subarray(8) })).toThrow(/LW_ERR_FEATURE_STATE_INVALID|holds \d+ bytes/);
}

describe('the compact feature state (one block per lift: times in doubles, sums in floats)', () => {
  const lift3 = rows(3);
  it(`gives the features and statistics of the object state it replaced within ${FLOAT_SUMS_TOLERANCE} relative, and exactly its dedup, record by record`, () => {
    for (const seed of [3, 11]) {
      const input = seed === 3 ? lift3 : rows(seed, 30);
      const arena = createStateArena(4);
      const compact = new LiftFeatureState(`CS-${seed}`, arena.take());
      const before = new ObjectState(`CS-${seed}`);
      const checks = [2, 9, 21, 29.9].map((d) => START + d * DAY);
      let next = 0;
      for (const r of input) {
        while (next < checks.length && r.record.ts > checks[next]!) {
          const at = checks[next++]!;
          const stats = computeStats(compact, at);
          expectCloseStats(asObject(stats), objectStats(before, at));
          expectCloseStats([...featureVector(stats)], [...featureVector(withAdded(objectStats(before, at), stats))], 'features');
        }
        expect(compact.add(r.stream, r.record)).toBe(before.add(r.stream, r.record));
      }
      expect(next).toBe(checks.length);
      expect(compact.skipped).toBe(before.skipped);
      expect(compact.skipped).toBeGreaterThan(100);
      expect(compact.openCodes()).toEqual(before.openCodes);
      for (const s of ['trip', 'door', 'env'] as const) expect(compact.evidence(s)).toEqual(before.evidence[s]);
      for (const s of ['trip', 'door', 'env', 'fault', 'status'] as const) expect(compact.newest(s)).toEqual(before.newest[s]);
    }
  }, 60_000);

  it('takes over a checkpoint of the first layout (JSON) and goes on as the old state would have', () => {
    const input = lift3;
    const half = input.findIndex((r) => r.record.ts > START + 25 * DAY);
    const before = new ObjectState('CS-3');
    for (const r of input.slice(0, half)) before.add(r.stream, r.record);
    const compact = stateFromJsonV1(JSON.parse(JSON.stringify(objectToJson(before))));
    expectCloseStats(asObject(computeStats(compact, START + 25 * DAY)), objectStats(before, START + 25 * DAY));
    for (const r of input.slice(half)) expect(compact.add(r.stream, r.record)).toBe(before.add(r.stream, r.record));
    const at = START + 50 * DAY;
    const stats = computeStats(compact, at);
    expectCloseStats([...featureVector(stats)], [...featureVector(withAdded(objectStats(before, at), stats))], 'features');
    expect(compact.openCodes()).toEqual(before.openCodes);
    expect(PREVIOUS_FEATURE_VERSION).toBe('2.0.0'); // the version the object state's checkpoints were written by
  }, 30_000);

  it('is one block of about 2.3 KB, and a checkpoint is its bytes', () => {
    expect(BLOCK_BYTES).toBeLessThanOrEqual(2456); // 2,416 before the motor's heat, 2,384 before the sink under load, 2,360 before the landing slots (the sketches gave up bins no reading used), 2,336 before the week's slow lock-makes per landing
    const st = new LiftFeatureState('CS-3');
    for (const r of lift3.slice(0, 20_000)) st.add(r.stream, r.record);
    const saved = saveState(st);
    expect(saved.block.byteLength).toBe(BLOCK_BYTES);
    const back = loadState('CS-3', saved);
    expect(computeStats(back, START + 10 * DAY)).toEqual(computeStats(st, START + 10 * DAY));
  });

  it('takes over a checkpoint of the second layout (all doubles, written by the previous version) with its features', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures-data/layout2-checkpoint.json', import.meta.url), 'utf8')) as { liftId: string; layout: string; at: number; block: string; features: Array<number | null> };
    expect(fixture.layout).toBe(`${PREVIOUS_FEATURE_VERSION}/2`);
    expect(LAYOUT_VERSION).toBe(7);
    const st = loadState(fixture.liftId, { layout: fixture.layout, block: Buffer.from(fixture.block, 'base64') }, createStateArena(2).take());
    const f = featureVector(computeStats(st, fixture.at));
    expectCloseStats(PREVIOUS_NAMES.map((n) => f[FEATURE_NAMES.indexOf(n)]!), fixture.features.map((x) => x ?? NaN), 'features');
    expect(saveState(st).layout).toBe(STATE_LAYOUT);
    expect(() => loadState(fixture.liftId, { layout: fixture.layout, block: Buffer.from(fixture.block, 'base64').subarray(8) })).toThrow(/LW_ERR_FEATURE_STATE_INVALID|holds 3984 bytes/);
  });

  it('takes over a checkpoint of the third layout (feature version 2.0.0): every feature it had goes on, the landing slots fill from the next records', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures-data/layout3-checkpoint.json', import.meta.url), 'utf8')) as { liftId: string; layout: string; at: number; block: string; features: Record<string, number | null> };
    expect(fixture.layout).toBe(LAYOUT3);
    // the records the fixture's state saw, and those after them (its lift, as models/test/fixtures-data made it with the previous code)
    const sim = createLiftSim({
      liftId: 'L3-1', seed: 5, startMs: START, fidelity: 'fast', floors: 12,
      faults: [
        { id: 'door', kind: 'doorFrictionWear', onsetDay: 4, law: { type: 'linear', failDays: 40 } },
        { id: 'lock', kind: 'lockContactWear', floor: 5, onsetDay: 1, law: { type: 'linear', failDays: 30 } },
      ],
      maintenance: { everyDays: 15, restore: { doorOperator: 0.5 } },
    });
    const all = sim.advanceTo(START + 32 * DAY) as unknown as Row[];
    const st = loadState(fixture.liftId, { layout: fixture.layout, block: Buffer.from(fixture.block, 'base64') }, createStateArena(2).take());
    const fresh = new LiftFeatureState(fixture.liftId);
    for (const r of all.filter((x) => x.record.ts <= fixture.at)) fresh.add(r.stream, r.record);
    const names = Object.keys(fixture.features);
    expect(names).toEqual(PREVIOUS_NAMES);
    const read = (s: LiftFeatureState, at: number) => { const f = featureVector(computeStats(s, at)); return (n: string) => f[FEATURE_NAMES.indexOf(n)]!; };
    const now = read(st, fixture.at);
    const replayed = read(fresh, fixture.at);
    expectCloseStats(names.map(now), names.map((n) => fixture.features[n] ?? NaN), 'features of the previous version');
    expectCloseStats(names.map(now), names.map(replayed), 'features of the previous version, replayed');
    expect(now('worstLandingLockDrift')).toBe(0); // no landing seen yet
    for (const r of all.filter((x) => x.record.ts > fixture.at)) { st.add(r.stream, r.record); fresh.add(r.stream, r.record); }
    // twelve days on, the one-day levels forgot the cycles the converted state never saw
    const later = read(st, START + 32 * DAY);
    const replayedLater = read(fresh, START + 32 * DAY);
    expectCloseStats(['worstLandingLockDrift', 'worstLandingLockSpread', 'slowLocksPerDayWorstLanding', 'doorObstructedShare', ...names].map(later), ['worstLandingLockDrift', 'worstLandingLockSpread', 'slowLocksPerDayWorstLanding', 'doorObstructedShare', ...names].map(replayedLater), 'features');
    expect(later('worstLandingLockDrift')).toBeGreaterThan(0.5);
    expect(saveState(st).layout).toBe(STATE_LAYOUT);
  });

  it('takes over a checkpoint of the fourth layout (feature version 2.1.0): every feature it had goes on, the week\'s slow lock-makes per landing count from the next records', () => {
    // the records the fixture's state saw, and those after them (its lift, as the previous code saved it: a lock wearing at landing 5, sill debris)
    const t = takeOver('layout4-checkpoint.json', (f) => f.layout, {
      liftId: 'L4-1', seed: 7, floors: 12,
      faults: [
        { id: 'lock', kind: 'lockContactWear', floor: 5, onsetDay: 1, law: { type: 'linear', failDays: 30 } },
        { id: 'sill', kind: 'sillDebris', onsetDay: 2, law: { type: 'linear', failDays: 60 } },
      ],
      maintenance: { everyDays: 15, restore: { doorOperator: 0.5 } },
    });
    expectPreviousFeatures(t, LAYOUT4);
    const { fixture, fresh, after, read, now, goOn } = t;
    expect(fixture.features['slowLocksPerDayWorstLanding']).toBeGreaterThan(1); // the worn lock was making slow locks when it was saved
    expect(now('slowLocksWeekWorstLanding')).toBe(0); // the week was not kept: it starts empty
    expect(now('doorObstructedShareWeek')).toBeCloseTo(read(fresh, fixture.at)('doorObstructedShareWeek'), 6); // its sums were kept (the obstructed channel's week)
    const { at, later } = goOn();
    // the week's count is that of the records since the conversion; everything else is the replayed lift's
    expectCloseStats(later('slowLocksWeekWorstLanding'), read(after, at)('slowLocksWeekWorstLanding'), 'slowLocksWeekWorstLanding');
    expect(later('slowLocksWeekWorstLanding')).toBeGreaterThan(0);
    expect(later('slowLocksWeekWorstLanding')).toBeLessThan(read(fresh, at)('slowLocksWeekWorstLanding'));
    // the sink under load (2.6.0) and the motor's heat (2.7.0) were not kept by the fourth layout either: they count from the conversion too
    expectThermalSinceConversion(later, read(after, at));
    const rest = FEATURE_NAMES.filter((n) => n !== 'slowLocksWeekWorstLanding' && !n.startsWith('sink') && !THERMAL_FEATURES.includes(n));
    expectCloseStats(rest.map(later), rest.map(read(fresh, at)), 'features');
    expectSavedAsToday(t);
  });

  it.each(LAYOUT5_FEATURE_VERSIONS)('takes over a checkpoint of the fifth layout (feature version %s): every feature it had goes on, the sink under load counts from the next trips', (version) => {
    // the records the fixture's state saw, and those after them (its lift, as the previous code saved it: a rope stretching, never renewed)
    const t = takeOver('layout5-checkpoint.json', () => `${version}/5`, { liftId: 'L5-1', seed: 11, floors: 16, faults: [{ id: 'rope', kind: 'ropeStretch', onsetDay: 1, law: { type: 'linear', failDays: 30 } }], maintenance: { everyDays: 15, restore: { ropes: 0 } } });
    expectPreviousFeatures(t, '2.4.0/5');
    const { fixture, fresh, after, read, now, goOn } = t;
    expect(fixture.features['stopErrDayMm']).toBeGreaterThan(20); // the rope was stretched when it was saved
    expect(read(fresh, fixture.at)('sinkAtRatedLoadWeekMm')).toBeGreaterThan(50);
    expect(now('sinkAtRatedLoadWeekMm')).toBe(0); // not kept by the fifth layout: unknown until loads are seen
    const { at, later } = goOn();
    const sink = FEATURE_NAMES.filter((n) => n.startsWith('sink'));
    expectCloseStats(sink.map(later), sink.map(read(after, at)), 'sink under load since the conversion');
    expect(later('sinkAtRatedLoadDayMm')).toBeGreaterThan(20);
    expectThermalSinceConversion(later, read(after, at));
    const rest = FEATURE_NAMES.filter((n) => !sink.includes(n) && !THERMAL_FEATURES.includes(n));
    expectCloseStats(rest.map(later), rest.map(read(fresh, at)), 'features');
    expectSavedAsToday(t);
  });

  it.each(LAYOUT6_FEATURE_VERSIONS)('takes over a checkpoint of the sixth layout (feature version %s): every feature it had goes on, the motor\'s thermal resistance counts from the next records', (version) => {
    // the records the fixture's state saw, and those after them (its lift, as the previous code saved it: a motor fan clogging, never cleaned)
    const t = takeOver('layout6-checkpoint.json', () => `${version}/6`, { liftId: 'L6-1', seed: 12, floors: 12, faults: [{ id: 'fan', kind: 'motorOverheat', onsetDay: 1, law: { type: 'linear', failDays: 40 } }], maintenance: { everyDays: 15, restore: { motor: 0 } } });
    expectPreviousFeatures(t, '2.6.0/6');
    const { fixture, fresh, after, read, now, goOn } = t;
    expect(fixture.features['tempResidualExcessC']).toBeGreaterThan(3); // the winding ran hotter when it was saved
    expect(read(fresh, fixture.at)('thermalResistanceDriftLong')).toBeGreaterThan(0.3);
    expect(now('thermalResistanceDay')).toBe(0); // not kept by the sixth layout: unknown until heat is seen
    expect(now('windingMaxDayC')).toBe(read(fresh, fixture.at)('windingMaxDayC')); // from the header the sixth layout kept
    const { at, later } = goOn();
    const thermal = THERMAL_FEATURES;
    expectThermalSinceConversion(later, read(after, at));
    // twelve days on, the day's resistance no longer remembers what the conversion dropped
    expect(later('thermalResistanceDay') / read(fresh, at)('thermalResistanceDay')).toBeCloseTo(1, 2);
    expect(read(fresh, at)('thermalResistanceDriftLong')).toBeGreaterThan(0.5);
    const rest = FEATURE_NAMES.filter((n) => !thermal.includes(n));
    expectCloseStats(rest.map(later), rest.map(read(fresh, at)), 'features');
    expectSavedAsToday(t);
  });
});
