import { Worker } from 'node:worker_threads';
import { simulateLift, loadMix } from '@liftwatch/simulator';
import type { FleetSlice } from './fleet-split.js';
import { replayLift, type LiftSeries, type ReplayOptions } from './replay.js';

/** One lift of a slice: what a worker needs to simulate and replay it. */
export interface LiftJob { readonly mix: string; readonly seed: number; readonly index: number; readonly days: number; readonly options: ReplayOptions }

/** The lifts of a slice as jobs, in the slice's order. */
export function jobsOf(s: FleetSlice, options: ReplayOptions): LiftJob[] {
  const out: LiftJob[] = [];
  for (const mix of s.mixes) for (const seed of s.seeds) for (let i = 0; i < s.lifts; i++) out.push({ mix, seed, index: (s.firstLift ?? 0) + i, days: s.days, options });
  return out;
}

/** Simulate and replay one lift (in this thread). */
export function runJob(j: LiftJob): LiftSeries {
  return replayLift(simulateLift(loadMix(j.mix), j.seed, j.index, j.days, 'summary'), j.days, j.options);
}

/**
 * The series of a slice's lifts, in the slice's order, simulated and replayed by `workers` worker
 * threads (1: in this thread). The order, and so every result, is the same whatever the number of
 * workers; at most a few series per worker wait in memory to be handed over in order.
 */
export async function* replaySlice(s: FleetSlice, options: ReplayOptions, workers = 1): AsyncGenerator<LiftSeries> {
  const jobs = jobsOf(s, options);
  if (workers <= 1) { for (const j of jobs) yield runJob(j); return; }
  const done = new Map<number, LiftSeries>();
  let next = 0; let handed = 0; let failed: unknown;
  let wake: (() => void) | undefined;
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(new URL('./replay-worker.mjs', import.meta.url)));
  const idle: Worker[] = [];
  const give = (w: Worker) => { if (next < jobs.length && next - handed < workers * 4) { const k = next++; w.postMessage({ k, job: jobs[k] }); } else idle.push(w); };
  for (const w of pool) {
    w.on('message', (m: { k: number; series: LiftSeries }) => { done.set(m.k, m.series); wake?.(); give(w); });
    w.on('error', (err) => { failed = err; wake?.(); });
    give(w);
  }
  try {
    while (handed < jobs.length) {
      if (failed !== undefined) throw failed;
      const s = done.get(handed);
      if (s === undefined) { await new Promise<void>((r) => { wake = r; }); continue; }
      done.delete(handed++);
      while (idle.length > 0 && next < jobs.length && next - handed < workers * 4) give(idle.pop()!);
      yield s;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
