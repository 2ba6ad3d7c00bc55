import { simulateFleet } from '@liftwatch/simulator';
import { LiftFeatureState } from './src/features/lift-state.js';
import { featuresAt } from './src/features/definition.js';
const evs: Array<{ stream: string; record: any }> = [];
for (const lift of simulateFleet({ mix: 'city-mixed', seed: 2, lifts: 1, days: 120 })) for (const e of lift.events()) evs.push(e as any);
console.log(evs.length);
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const st = new LiftFeatureState('x');
  let n = 0;
  for (const e of evs) { if (e.stream !== 'truth' && st.add(e.stream, e.record)) n++; }
  const dt = performance.now() - t0;
  console.log(n, 'records added', (n / dt * 1000 / 1e6).toFixed(2), 'M/s');
  const t1 = performance.now();
  for (let i = 0; i < 10000; i++) featuresAt(st, st.newest.trip[0] + i);
  console.log('featuresAt', ((performance.now() - t1) / 10000 * 1000).toFixed(1), 'us');
}
