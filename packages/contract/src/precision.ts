import { Type, type Static } from '@sinclair/typebox';
import { familyOfComponent, type FindingOutcome } from './findings.js';

/**
 * Precision of each model version and each rule, measured by the crews' findings
 * (docs/findings.md#precision): of the alerts closed with a finding, the share where the crew
 * confirmed the fault, with a 95 % Wilson score interval.
 */

/** z of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of a proportion k/n (Wilson 1927, "Probable inference, the law of
 * succession, and statistical inference", JASA 22:209–212). Unlike the normal approximation it stays
 * inside [0, 1] and is usable at the small counts a new model version starts with; n = 0 gives null.
 */
export function wilsonInterval(k: number, n: number, z = Z95): { low: number; high: number } | null {
  if (!(n > 0) || k < 0 || k > n) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** How many findings of one kind: what the store counts, grouped by everything precision needs. */
export interface FindingTally {
  readonly modelId: string | null;
  readonly modelVersion: string | null;
  readonly code: string;
  readonly outcome: FindingOutcome;
  readonly component: string | null;
  readonly count: number;
}

export const PrecisionRow = Type.Object({
  modelId: Type.Union([Type.String(), Type.Null()], { description: 'The model; null in a rule\'s row' }),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
  code: Type.String({ description: 'A rule\'s code; a model\'s rows name the code its alerts carry' }),
  findings: Type.Integer({ description: 'Alerts closed with a finding' }),
  confirmed: Type.Integer({ description: 'Findings that confirmed the fault (for a model: on a component of its family)' }),
  otherFamily: Type.Integer({ description: 'A model\'s alerts confirmed on a component of another family: a fault, but not the one predicted' }),
  noFaultFound: Type.Integer(),
  falseAlarm: Type.Integer(),
  precision: Type.Union([Type.Number(), Type.Null()], { description: 'confirmed / findings; null without findings' }),
  low: Type.Union([Type.Number(), Type.Null()], { description: 'Lower end of the 95 % Wilson interval' }),
  high: Type.Union([Type.Number(), Type.Null()], { description: 'Upper end of the 95 % Wilson interval' }),
});
export type PrecisionRow = Static<typeof PrecisionRow>;

export const PrecisionReport = Type.Object({
  models: Type.Array(PrecisionRow, { description: 'One row per model id and version' }),
  rules: Type.Array(PrecisionRow, { description: 'One row per code of alerts a rule opened' }),
  interval: Type.Literal('wilson-95', { description: 'Each row\'s low–high: the 95 % Wilson score interval' }),
});
export type PrecisionReport = Static<typeof PrecisionReport>;

type Counts = Pick<PrecisionRow, 'findings' | 'confirmed' | 'otherFamily' | 'noFaultFound' | 'falseAlarm'>;
const empty = (): Counts => ({ findings: 0, confirmed: 0, otherFamily: 0, noFaultFound: 0, falseAlarm: 0 });

/** Adds one tally to a row's counts: a model's confirmed finding counts only on a component of its family. */
function add(c: Counts, t: FindingTally): void {
  c.findings += t.count;
  if (t.outcome === 'no-fault-found') c.noFaultFound += t.count;
  else if (t.outcome === 'false-alarm') c.falseAlarm += t.count;
  else if (t.modelId !== null && familyOfComponent(t.component) !== t.modelId) c.otherFamily += t.count;
  else c.confirmed += t.count;
}

const row = (key: Pick<PrecisionRow, 'modelId' | 'modelVersion' | 'code'>, c: Counts): PrecisionRow => {
  const ci = wilsonInterval(c.confirmed, c.findings);
  return { ...key, ...c, precision: c.findings > 0 ? c.confirmed / c.findings : null, low: ci?.low ?? null, high: ci?.high ?? null };
};

/** Precision per model id and version and per rule code, from the store's tallies; sorted by model, version, code. */
export function precisionReport(tallies: readonly FindingTally[]): PrecisionReport {
  const groups = new Map<string, { key: Pick<PrecisionRow, 'modelId' | 'modelVersion' | 'code'>; counts: Counts }>();
  for (const t of tallies) {
    const key = t.modelId !== null ? { modelId: t.modelId, modelVersion: t.modelVersion, code: t.code } : { modelId: null, modelVersion: null, code: t.code };
    const id = JSON.stringify([key.modelId, key.modelVersion, key.code]);
    const g = groups.get(id) ?? { key, counts: empty() };
    add(g.counts, t);
    groups.set(id, g);
  }
  const rows = [...groups.values()].map((g) => row(g.key, g.counts));
  const order = (a: PrecisionRow, b: PrecisionRow) => (a.modelId ?? '').localeCompare(b.modelId ?? '')
    || (a.modelVersion ?? '').localeCompare(b.modelVersion ?? '', 'en', { numeric: true }) || a.code.localeCompare(b.code);
  return { models: rows.filter((r) => r.modelId !== null).sort(order), rules: rows.filter((r) => r.modelId === null).sort(order), interval: 'wilson-95' };
}
