import { simulateFleet } from '@liftwatch/simulator';
import { LiftFeatureState } from './src/features/lift-state.js';
const evs: Array<{ stream: string; record: any }> = [];
for (const lift of simulateFleet({ mix: 'city-mixed', seed: 2, lifts: 1, days: 30 })) for (const e of lift.events()) if (e.stream === 'door' || e.stream === 'trip' || e.stream === 'env') evs.push(e as any);
const t0 = process.cpuUsage();
for (let rep = 0; rep < 20; rep++) { const st = new LiftFeatureState('x'); for (const e of evs) st.add(e.stream, e.record); }
const u = process.cpuUsage(t0); console.log('ns/record', (u.user + u.system) * 1000 / evs.length / 20);
