// A worker thread of parallel-replay.ts: simulates and replays the lifts it is given, one at a time.
import { parentPort } from 'node:worker_threads';
import { runJob, type LiftJob } from './parallel-replay.js';

parentPort?.on('message', (m: { k: number; job: LiftJob }) => {
  const series = runJob(m.job);
  parentPort!.postMessage({ k: m.k, series }, [series.times.buffer, series.x.buffer, series.rules.buffer, series.oracle.buffer] as ArrayBuffer[]);
});
