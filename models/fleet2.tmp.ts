import { simulateFleet } from '@liftwatch/simulator';
import { LiftFeatureState } from './src/features/lift-state.js';
const evs: Array<{ stream: string; record: any }> = [];
for (const lift of simulateFleet({ mix: 'city-mixed', seed: 2, lifts: 1, days: 60 })) for (const e of lift.events()) if (e.stream !== 'truth') evs.push(e as any);
const byStream: Record<string, number> = {};
for (const s of ['door', 'trip', 'env', 'status']) {
  const sub = evs.filter((e) => e.stream === s);
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const st = new LiftFeatureState('x');
    const t0 = process.cpuUsage();
    for (const e of sub) st.add(e.stream, e.record);
    const u = process.cpuUsage(t0); best = Math.min(best, (u.user + u.system) / sub.length);
  }
  byStream[s] = Math.round(best * 1000);
}
console.log('ns per record (cpu)', byStream);
