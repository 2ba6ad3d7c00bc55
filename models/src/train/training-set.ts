import { FEATURE_NAMES } from '../features/definition.js';
import { FAMILY_NAMES, type Family } from './families.js';
import { prng } from './prng.js';
import type { LiftSeries } from './replay.js';

const DAY = 86_400_000;

/** Options of a training set. */
export interface TrainingSetOptions {
  /** Samples this close before a failure of any family are all kept (the longest label horizon tried), ms. @defaultValue 28 days */
  readonly keepBeforeFailureMs?: number;
  /** Share of the other samples kept (each kept one weighs 1/share). @defaultValue 0.1 */
  readonly negativeKeep?: number;
  /** Keep every k-th sample of a series (series are sampled every 6 h; 2 → every 12 h). @defaultValue 2 */
  readonly every?: number;
}

/**
 * Feature rows for training, gathered lift by lift as the fleet streams past (the series are then
 * dropped): every sample within `keepBeforeFailureMs` of a failure, a seeded share of the others
 * with inverse-probability weights, and per family the time to the family's next failure, so
 * that labels of any horizon up to that can be made at fitting time.
 */
export function createTrainingSet(opts: TrainingSetOptions = {}) {
  const keepMs = opts.keepBeforeFailureMs ?? 28 * DAY;
  const keep = opts.negativeKeep ?? 0.1;
  const every = opts.every ?? 2;
  const rows: Float32Array[] = [];
  const weights: number[] = [];
  /** Per family, per row: ms from the sample to the family's next failure (Infinity: none). */
  const untilFailure = Object.fromEntries(FAMILY_NAMES.map((f) => [f, [] as number[]])) as Record<Family, number[]>;
  const seen = { lifts: 0, liftYears: 0, samples: 0, records: 0, failures: Object.fromEntries(FAMILY_NAMES.map((f) => [f, 0])) as Record<Family, number> };
  const F = FEATURE_NAMES.length;

  return {
    rows, weights, untilFailure, seen,
    add(s: LiftSeries): void {
      seen.lifts++;
      seen.liftYears += (s.to - s.from) / (365 * DAY);
      seen.records += s.records;
      for (const f of s.failures) seen.failures[f.family]++;
      const r = prng(s.seed * 1_000_003 + s.index * 7_919 + s.mix.length);
      for (let i = 0; i < s.times.length; i += every) {
        seen.samples++;
        const t = s.times[i]!;
        const until = FAMILY_NAMES.map((f) => Math.min(...s.failures.filter((x) => x.family === f && x.ts > t).map((x) => x.ts - t)));
        const near = until.some((u) => u <= keepMs);
        const draw = r.next();
        if (!near && draw >= keep) continue;
        rows.push(s.x.slice(i * F, (i + 1) * F));
        weights.push(near ? 1 : 1 / keep);
        FAMILY_NAMES.forEach((f, k) => untilFailure[f].push(until[k]!));
      }
    },
    /** 1 when the family fails within `horizonMs` of the row's time, else 0. */
    labels(f: Family, horizonMs: number): number[] {
      return untilFailure[f].map((u) => (u <= horizonMs ? 1 : 0));
    },
  };
}
export type TrainingSet = ReturnType<typeof createTrainingSet>;

/** The largest share of a family's fitted rows its positives may take, so that negatives are always drawn. */
export const MAX_POSITIVE_SHARE = 0.75;

/**
 * The rows one family's model is fitted on, at most `maxRows` in all: its positives (all of them, or
 * drawn down to `MAX_POSITIVE_SHARE` of the rows when a large fleet has more), and the others drawn
 * (seeded) into the rest; each drawn row's weight is scaled up by the share of its class dropped.
 */
export function familyRows(set: TrainingSet, y: readonly number[], maxRows: number, seed = 1): { x: Float32Array[]; y: number[]; w: number[] } {
  const pos = y.reduce((a, b) => a + b, 0);
  const neg = y.length - pos;
  const posRows = Math.min(pos, Math.floor(maxRows * MAX_POSITIVE_SHARE));
  const posShare = pos === 0 ? 1 : posRows / pos;
  const negShare = Math.min(1, (maxRows - posRows) / Math.max(1, neg));
  const r = prng(seed);
  const x: Float32Array[] = []; const yy: number[] = []; const w: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const label = y[i] === 1 ? 1 : 0;
    const share = label === 1 ? posShare : negShare;
    if (share < 1 && r.next() >= share) continue;
    x.push(set.rows[i]!); yy.push(label); w.push(set.weights[i]! / share);
  }
  return { x, y: yy, w };
}
