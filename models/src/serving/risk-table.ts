const DAY = 86_400_000;

/**
 * The latest score of each served model for every lift, and the highest of the current day, in typed
 * arrays (models × 8 bytes a lift): what the riskiest list sorts by and the lift page shows. When a
 * lift's day changes, `onDay` receives the finished day's highest scores (risk-trend.ts keeps them).
 */
export function createRiskTable(modelIds: readonly string[], onDay?: (liftId: string, day: number, highest: Float32Array) => void) {
  const M = modelIds.length;
  const index = new Map<string, number>();
  const ids: string[] = [];
  let cap = 0;
  let at = new Float64Array(0);
  let day = new Int32Array(0);
  let latest = new Float32Array(0);
  let highest = new Float32Array(0);

  function grow(): void {
    cap = Math.max(1024, cap * 2);
    const a = new Float64Array(cap); a.set(at); at = a;
    const d = new Int32Array(cap); d.set(day); day = d;
    const l = new Float32Array(cap * M); l.set(latest); latest = l;
    const h = new Float32Array(cap * M); h.set(highest); highest = h;
  }
  function slot(liftId: string): number {
    let i = index.get(liftId);
    if (i === undefined) {
      i = ids.length;
      if (i >= cap) grow();
      ids.push(liftId);
      index.set(liftId, i);
      at[i] = -Infinity;
      day[i] = -1;
    }
    return i;
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
    scoredAt: (liftId: string): number => { const i = index.get(liftId); return i === undefined ? -Infinity : at[i]!; },
    /** The latest scores of a lift (model order), its day's highest and that day, or undefined. */
    get(liftId: string): { at: number; latest: Float32Array; highest: Float32Array; day: number } | undefined {
      const i = index.get(liftId);
      if (i === undefined || at[i] === -Infinity) return undefined;
      return { at: at[i]!, latest: latest.slice(i * M, (i + 1) * M), highest: highest.slice(i * M, (i + 1) * M), day: day[i]! };
    },
    /** The highest score / raise threshold over the models (≥ 1: at or above a raise threshold), or null. */
    relative(liftId: string, raise: readonly number[]): number | null {
      const i = index.get(liftId);
      if (i === undefined || at[i] === -Infinity) return null;
      let r = 0;
      for (let m = 0; m < M; m++) r = Math.max(r, latest[i * M + m]! / raise[m]!);
      return r;
    },
    /** Lifts per 0.1-wide bin of each model's latest score (/metrics). */
    distribution(): Record<string, number[]> {
      const out: Record<string, number[]> = Object.fromEntries(modelIds.map((id) => [id, new Array<number>(10).fill(0)]));
      for (let i = 0; i < ids.length; i++) {
        if (at[i] === -Infinity) continue;
        for (let m = 0; m < M; m++) { const s = latest[i * M + m]!; if (s === s) out[modelIds[m]!]![Math.min(9, Math.floor(s * 10))]!++; }
      }
      return out;
    },
    size: () => index.size,
  };
}
export type RiskTable = ReturnType<typeof createRiskTable>;
