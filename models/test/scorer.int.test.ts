import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import type { FeatureRow } from '../src/features/definition.js';
import { createScorer, type PredictedAlert } from '../src/serving/scorer.js';
import { addLogisticVersion, FIXTURE_THRESHOLDS, fixtureRegistry } from './fixtures.js';

let fx: ReturnType<typeof fixtureRegistry>;
beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => fx.remove());

/** A worn door (close time +40 %, current +40 %, lock tail +60 %) or a healthy one. */
function row(liftId: string, at: number, worn: boolean): FeatureRow {
  const v = new Float32Array(FEATURE_NAMES.length);
  const set = (n: string, x: number) => { v[FEATURE_NAMES.indexOf(n)] = x; };
  set('baselineMaturity', 1);
  set('vibKurtosis', 3);
  if (worn) { set('doorCloseDrift', 0.4); set('doorCloseP95Drift', 0.45); set('doorMotorIDrift', 0.4); set('lockMadeP95Drift', 0.6); set('doorReopenExcess', 0.15); }
  return { liftId, at, values: v };
}

describe('scorer', () => {
  it('scores lifts touched by trip or door summaries in one Run per model per batch, never on status', async () => {
    const worn = new Set(['L03']);
    const alerts: PredictedAlert[] = [];
    const s = await createScorer({ modelIds: ['door-system', 'brake'], maxBatch: 64, maxDelayMs: 10_000 }, { registry: fx.registry, features: (id, at) => row(id, at, worn.has(id)), onAlert: (a) => alerts.push(a) });
    const t0 = Date.UTC(2026, 1, 1);
    expect(s.onRecord('status', { liftId: 'L01', ts: t0 })).toBe(false);
    for (let i = 0; i < 10; i++) s.onRecord(i % 2 ? 'trip' : 'door', { liftId: `L${String(i).padStart(2, '0')}`, ts: t0 });
    await s.flush();
    expect(s.stats()).toEqual({ runs: 2, rows: 20 });
    // minimum duration (12 h in the manifest): a second batch 13 h later raises
    for (let i = 0; i < 10; i++) s.onRecord('trip', { liftId: `L${String(i).padStart(2, '0')}`, ts: t0 + 13 * 3_600_000 });
    await s.flush();
    expect(alerts.map((a) => [a.liftId, a.modelId, a.state])).toEqual([['L03', 'door-system', 'raised']]);
    const a = alerts[0]!;
    expect(a.version).toBe('1');
    expect(a.score).toBeGreaterThan(0.6);
    expect(a.topFeatures.length).toBeGreaterThan(0);
    expect(FEATURE_NAMES).toContain(a.topFeatures[0]!.name);
    expect(a.anomaly).toBeGreaterThan(1); // worn door: drifts well past their notable levels
    await s.close();
  });

  it('serves a logistic regression version as it serves trees: the same batches, hysteresis and alerts', async () => {
    const own = fixtureRegistry();
    addLogisticVersion(own.dir, 'tractionRopes', '2');
    const alerts: PredictedAlert[] = [];
    // rows like the fixture's training rows (a linear model extrapolates, trees do not): all at their mean but a stretching rope's re-levels on L07
    const features = (id: string, at: number): FeatureRow => {
      const values = new Float32Array(FEATURE_NAMES.length);
      if (id === 'L07') values[FEATURE_NAMES.indexOf('relevelsPer100Excess')] = 0.6;
      return { liftId: id, at, values };
    };
    const s = await createScorer({ modelIds: ['traction-ropes'], maxDelayMs: 10_000 }, { registry: own.registry, features, onAlert: (a) => alerts.push(a) });
    expect(s.versions()['traction-ropes']!.live).toBe('2');
    expect(s.manifests()['traction-ropes']!.live.training.learner).toBe('logistic-28d');
    const t0 = Date.UTC(2026, 1, 1);
    const lifts = Array.from({ length: 10 }, (_, i) => `L${String(i).padStart(2, '0')}`);
    for (const dt of [0, 13 * 3_600_000]) { for (const l of lifts) s.onRecord('trip', { liftId: l, ts: t0 + dt }); await s.flush(); }
    expect(s.stats()).toEqual({ runs: 2, rows: 20 });
    expect(alerts.map((a) => [a.liftId, a.modelId, a.version, a.state, a.firedBy])).toEqual([['L07', 'traction-ropes', '2', 'raised', 'model']]);
    expect(alerts[0]!.score).toBeGreaterThan(FIXTURE_THRESHOLDS.raise);
    expect(alerts[0]!.topFeatures[0]!.name).toBe('relevelsPer100Excess');
    const scores = (await s.score(lifts.map((l) => features(l, t0 + 14 * 3_600_000)))).get('traction-ropes')!;
    lifts.forEach((l, i) => (l === 'L07' ? expect(scores[i]).toBeGreaterThan(0.9) : expect(scores[i]).toBeLessThan(0.1)));
    await s.close();
    own.remove();
  });

  it('loads a new version without a restart, and a shadow version records alerts without sending them', async () => {
    const alerts: PredictedAlert[] = [];
    const s = await createScorer({ modelIds: ['door-system'], maxDelayMs: 5 }, { registry: fx.registry, features: (id, at) => row(id, at, true), onAlert: (a) => alerts.push(a) });
    cpSync(join(fx.dir, 'door-system', '1'), join(fx.dir, 'door-system', '2'), { recursive: true });
    expect(await s.reload()).toEqual(['door-system@2']);
    expect(s.versions()['door-system']!.live).toBe('2');
    cpSync(join(fx.dir, 'door-system', '1'), join(fx.dir, 'door-system', '3'), { recursive: true });
    await s.setShadow('door-system', '3');
    const t0 = Date.UTC(2026, 1, 1);
    for (const dt of [0, 13 * 3_600_000]) { s.onRecord('door', { liftId: 'L1', ts: t0 + dt }); await s.flush(); }
    expect(alerts.map((x) => [x.version, x.shadow])).toEqual([['2', false]]);
    expect(s.shadowLog().map((x) => [x.version, x.shadow])).toEqual([['3', true]]);
    expect(s.comparison()).toMatchObject({ rows: 2, bothAlerting: 1, meanAbsDiff: 0 });
    await s.close();
  });

  it('picks up a newer version by itself (autoReloadMs) and keeps the old one when the new one is refused', async () => {
    const errors: unknown[] = [];
    const s = await createScorer({ modelIds: ['brake'], autoReloadMs: 20 }, { registry: fx.registry, features: (id, at) => row(id, at, false), onReloadError: (e) => errors.push(e) });
    expect(s.versions()['brake']!.live).toBe('1');
    cpSync(join(fx.dir, 'brake', '1'), join(fx.dir, 'brake', '2'), { recursive: true });
    for (let i = 0; i < 1_500 && s.versions()['brake']!.live !== '2'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.versions()['brake']!.live).toBe('2');
    cpSync(join(fx.dir, 'brake', '1'), join(fx.dir, 'brake', '3'), { recursive: true });
    writeFileSync(join(fx.dir, 'brake', '3', 'model.onnx'), 'not a model');
    for (let i = 0; i < 1_500 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(errors[0]).toMatchObject({ code: 'LW_ERR_MODEL_INVALID' });
    await new Promise((r) => setTimeout(r, 100));
    expect(errors.length).toBe(1); // refused once, not retried every poll
    expect(s.versions()['brake']!.live).toBe('2');
    await s.close();
  });
});
