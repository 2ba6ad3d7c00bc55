import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/features/definition.js';
import type { FeatureRow } from '../src/features/definition.js';
import { createScorer, type PredictedAlert } from '../src/serving/scorer.js';
import { fixtureRegistry } from './fixtures.js';

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
