/** Small statistics used by features and health; each returns NaN-free numbers (0 for empty input). */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let t = 0;
  for (const v of values) t += v;
  return t / values.length;
}

/** recent / baseline − 1, or 0 when either side has no data (no evidence of drift). */
export function drift(recent: number, baseline: number, haveRecent: boolean, haveBaseline: boolean): number {
  if (!haveRecent || !haveBaseline || baseline <= 0) return 0;
  return recent / baseline - 1;
}

/** Numbers of `key` present in the list (optional contract fields are skipped when absent). */
export function pick<T>(list: readonly T[], key: (r: T) => number | undefined): number[] {
  const out: number[] = [];
  for (const r of list) {
    const v = key(r);
    if (v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Piecewise-linear interpolation through anchor points [x, y] sorted by x; flat outside. */
export function anchors(x: number, points: readonly (readonly [number, number])[]): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x0, y0] = points[i - 1]!;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return last[1];
}
