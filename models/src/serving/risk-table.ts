import { createLiftNumbers, grown, type LiftNumbers } from './lift-numbers.js';

const DAY = 86_400_000;

/**
 * The latest score of each served model for every lift, and the highest of the current day, in typed
 * arrays (models × 8 bytes a lift): what the riskiest list sorts by and the lift page shows. When a
 * lift's day changes, `onDay` receives the finished day's highest scores (risk-trend.ts keeps them).
 */
export function createRiskTable(modelIds: readonly string[], onDay?: (liftId: string, day: number, highest: Float32Array) => void, lifts: LiftNumbers = createLiftNumbers()) {
  const M = modelIds.length;
  /** Columns by lift number (lift-numbers.ts: the serving's numbers, no map of lift ids of its own). */
  let at = new Float64Array(0);
  let day = new Int32Array(0);
  let latest = new Float32Array(0);
  let highest = new Float32Array(0);
  let scored = 0;

  function slot(liftId: string): number {
    const i = lifts.numberOf(liftId);
    if (i >= at.length) {
      at = grown(at, i + 1, -Infinity); day = grown(day, i + 1, -1);
      latest = grown(latest, i + 1, 0, M); highest = grown(highest, i + 1, 0, M);
    }
    if (at[i] === -Infinity) scored++;
    return i;
  }
  /** The lift's number if it was ever scored. */
  function found(liftId: string): number | undefined {
    const i = lifts.find(liftId);
    return i === undefined || i >= at.length || at[i] === -Infinity ? undefined : i;
  }

  return {
    modelIds,
    /** One model's score of a lift at `ts`. */
    set(liftId: string, m: number, ts: number, score: number): void {
      const i = slot(liftId);
      const d = Math.floor(ts / DAY);
      if (d > day[i]!) {
        if (day[i]! >= 0) onDay?.(liftId, day[i]!, highest.slice(i * M, (i + 1) * M));
        day[i] = d;
        highest.fill(NaN, i * M, (i + 1) * M);
      }
      at[i] = Math.max(at[i]!, ts);
      latest[i * M + m] = score;
      const h = highest[i * M + m]!;
      if (!(h >= score)) highest[i * M + m] = score;
    },
    /** When the lift was last scored, ms (−∞: never). */
    scoredAt: (liftId: string): number => { const i = found(liftId); return i === undefined ? -Infinity : at[i]!; },
    /** The latest scores of a lift (model order), its day's highest and that day, or undefined. */
    get(liftId: string): { at: number; latest: Float32Array; highest: Float32Array; day: number } | undefined {
      const i = found(liftId);
      if (i === undefined) return undefined;
      return { at: at[i]!, latest: latest.slice(i * M, (i + 1) * M), highest: highest.slice(i * M, (i + 1) * M), day: day[i]! };
    },
    /** The highest score / raise threshold over the models (≥ 1: at or above a raise threshold), or null. */
    relative(liftId: string, raise: readonly number[]): number | null {
      const i = found(liftId);
      if (i === undefined) return null;
      let r = 0;
      for (let m = 0; m < M; m++) r = Math.max(r, latest[i * M + m]! / raise[m]!);
      return r;
    },
    /** Lifts per 0.1-wide bin of each model's latest score (/metrics). */
    distribution(): Record<string, number[]> {
      const out: Record<string, number[]> = Object.fromEntries(modelIds.map((id) => [id, new Array<number>(10).fill(0)]));
      for (let i = 0; i < at.length; i++) {
        if (at[i] === -Infinity) continue;
        for (let m = 0; m < M; m++) { const s = latest[i * M + m]!; if (s === s) out[modelIds[m]!]![Math.min(9, Math.floor(s * 10))]!++; }
      }
      return out;
    },
    /** Lifts scored at least once. */
    size: () => scored,
  };
}
export type RiskTable = ReturnType<typeof createRiskTable>;
