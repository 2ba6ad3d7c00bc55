import { createLiftSim } from '@liftwatch/simulator';
import { LiftFeatureState } from './src/features/lift-state.js';
import { featuresAt, FEATURE_NAMES } from './src/features/definition.js';
const START = Date.UTC(2026, 0, 1); const DAY = 86400000;
const sim = createLiftSim({ liftId: 'SV-1', seed: 5, startMs: START, fidelity: 'fast', floors: 8, trafficScale: 0.3, groundTruth: true,
  faults: [{ id: 'door', kind: 'doorFrictionWear', onsetDay: 16, law: { type: 'linear', failDays: 20 } }] as never });
const st = new LiftFeatureState('SV-1');
let n = 0;
for (let d = 1; d <= 40; d++) {
  const recs = sim.advanceTo(START + d * DAY) as any[];
  for (const r of recs) { if (st.add(r.stream, r.record)) n++; }
  const truth = sim.drainTruth().filter((t: any) => t.type !== 'health' && t.type !== 'cause');
  const f = featuresAt(st, START + d * DAY);
  const v = (k: string) => f[FEATURE_NAMES.indexOf(k)]!.toFixed(3);
  console.log(d, n, 'motorI', v('doorMotorIDrift'), 'close', v('doorCloseDrift'), 'p95', v('doorCloseP95Drift'), 'e09', v('doorFaultsPer1000'), truth.map((t: any) => t.type + ':' + (t.code ?? t.kind ?? t.visit ?? '')).join(','));
}
