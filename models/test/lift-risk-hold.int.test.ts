import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { computeStats } from '../src/features/feature-stats.js';
import { LiftFeatureState } from '../src/features/lift-state.js';
import { createRegistry } from '../src/registry/registry.js';
import { liftRisk } from '../src/serving/lift-risk.js';
import { createRiskTable } from '../src/serving/risk-table.js';
import { createServedAlert, servedStep } from '../src/serving/served-alert.js';

// Why a raised predicted alert is still open, as the lift page reads it (src/serving/lift-risk.ts):
// the model's score may have fallen far under the raise threshold and be waiting out the clear persistence.
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);
const registry = createRegistry(fileURLToPath(new URL('../artifacts', import.meta.url)));

describe('a raised alert whose score has fallen', () => {
  it('says since when the score has stayed under the clear threshold, and how long it must stay there', async () => {
    const m = await registry.load('drive-thermal');
    const t = m.manifest.thresholds;
    const served = createServedAlert('drive-thermal', m, t);
    const table = createRiskTable(['drive-thermal']);
    const stats = computeStats(new LiftFeatureState('L-1'), T0);
    const risk = (at: number, score: number) => {
      servedStep(served, m, 'L-1', score, undefined, at);
      table.set('L-1', 0, at, score);
      return liftRisk('L-1', { models: [{ id: 'drive-thermal', family: 'driveThermal', code: 'D09', manifest: m.manifest, hyst: served.model, served }], table, trend: [], stats, limits: { creepAlertMm: 1 } })!.families[0]!;
    };
    const high = (t.raise + 1) / 2; const between = (t.raise + t.clear) / 2; const low = t.clear / 2;
    const clearMs = t.clearMinDurationMs ?? t.minDurationMs;
    let at = T0;
    for (; at <= T0 + t.minDurationMs; at += 6 * HOUR) risk(at, high);
    expect(risk(at, high)).toMatchObject({ state: 'raised', heldBy: ['model'], clearingSince: null, clearPersistMs: clearMs });
    // under the raise threshold, above the clear one: held, nothing counting down
    at += 6 * HOUR;
    expect(risk(at, between)).toMatchObject({ state: 'raised', heldBy: ['model'], clearingSince: null });
    // under the clear threshold: counting down from the first score there
    at += 6 * HOUR;
    const under = at;
    expect(risk(at, low)).toMatchObject({ state: 'raised', heldBy: ['model'], clearingSince: under });
    at += clearMs - 6 * HOUR;
    expect(risk(at, low)).toMatchObject({ state: 'raised', clearingSince: under });
    // a score back over the clear threshold starts the count again
    at += 6 * HOUR;
    expect(risk(at, between)).toMatchObject({ state: 'raised', clearingSince: null });
    for (const start = at + 6 * HOUR; at <= start + clearMs; ) { at += 6 * HOUR; risk(at, low); }
    expect(risk(at + 6 * HOUR, low)).toMatchObject({ state: 'normal', heldBy: [], clearingSince: null });
  });
});
