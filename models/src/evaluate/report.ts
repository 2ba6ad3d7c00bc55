import { servedPredictor, type ModelManifest } from '../registry/manifest.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from '../train/families.js';
import { seedsText, type FleetSlice } from '../train/fleet-split.js';
import type { Evaluation } from './evaluate.js';
import type { FamilySummary, Interval, Summary } from './summary.js';
import { ruleText } from './threshold-rules.js';

/** What the report says about the run besides its figures. */
export interface ReportContext {
  readonly slice: FleetSlice;
  readonly fromDay: number;
  readonly horizonDays: number;
  readonly generator: string;
  readonly command: string;
  /** Markdown of the real-data comparison, when there is one. */
  readonly realData?: string;
  /** The figures of each evaluated mix on its own, when there are several. */
  readonly byMix?: ReadonlyArray<readonly [string, Summary]>;
}

export const TARGET = Object.freeze({ predicted72hPct: 80, falsePer100: 1 });

const failures = (n: number) => `${n} failure${n === 1 ? '' : 's'}`;
const num = (v: number, d = 0) => (Number.isNaN(v) ? 'n/a' : v.toFixed(d));
const iv = (i: Interval, d = 0) => (Number.isNaN(i.value) ? 'n/a' : `${i.value.toFixed(d)} [${num(i.low, d)}–${num(i.high, d)}]`);

/** How the evaluated lifts relate to the ones a model was trained and calibrated on. */
export function heldOutAs(m: ModelManifest, s: FleetSlice, fromDay: number): string[] {
  const out: string[] = [];
  for (const mix of s.mixes) for (const seed of s.seeds) {
    const inT = m.training.mixes.includes(mix); const inV = m.validation.mixes.includes(mix);
    const seen = (inT && m.training.seeds.includes(seed)) || (inV && m.validation.seeds.includes(seed));
    const count = inT ? m.training.lifts : m.validation.lifts;
    const days = inT ? m.training.days : m.validation.days;
    const lifts = (s.firstLift ?? 0) >= count;
    out.push(`${mix} seed ${seed}: ${!inT && !inV ? 'a mix neither training nor validation used'
      : !seen ? `a ${inT ? 'training' : 'validation'} mix, a seed it never used`
      : lifts ? `${inT ? 'training' : 'validation'} mix and seed, lifts it never used (from lift ${(s.firstLift ?? 0) + 1})`
      : fromDay >= days ? `the ${inT ? 'training' : 'validation'} lifts, days ${fromDay} on (it used days 0–${days})`
      : `NOT HELD OUT: these are ${inT ? 'training' : 'validation'} lifts and days`}`);
  }
  return out;
}

function row(name: string, s: FamilySummary): string {
  return `| ${name} | ${s.failures} | ${iv(s.predicted72h)} | ${iv(s.predicted24h)} | ${iv(s.medianLeadH)} h | ${num(s.leadH.p10)}–${num(s.leadH.p90)} h | ${iv(s.falsePer100, 2)} | ${iv(s.alertTimePct, 1)} |`;
}

/** The verdict of what serving raises (the predictor chosen on the validation lifts), against the rule and beside the model alone. */
function verdict(f: Family, e: Evaluation, s: Summary): string {
  const p = servedPredictor(e.models[f].manifest);
  const m = s.model[f];
  const alone = p === 'model' ? '' : ` The model alone: ≥ 72 h ${iv(m.predicted72h)} %, false ${iv(m.falsePer100, 2)}.`;
  return `served predictor ${p}: ${judged(f, s.served[f], s.rule[f], e.lifts.flatMap((l) => l.onsetLeadH[f]), p === 'rule' ? 'is the rule' : undefined)}${alone}${repairedText(s.served[f])}`;
}

/** Why the served predictor's false alerts were false: how many warned of real wear that a routine visit then repaired. */
function repairedText(s: FamilySummary): string {
  if (s.falseEpisodes === 0) return '';
  return ` Of its ${s.falseEpisodes} false alert${s.falseEpisodes === 1 ? '' : 's'}, ${s.falseRepaired} (${num((100 * s.falseRepaired) / s.falseEpisodes)} %) ${s.falseRepaired === 1 ? 'was' : 'were'} open while a routine visit repaired a fault of the family: real wear, fixed before it failed.`;
}

function judged(f: Family, m: FamilySummary, r: FamilySummary, onset: readonly number[], same?: string): string {
  if (m.failures === 0) return `no ${MODEL_ID[f]} failure among these lifts: not measurable here (false alerts ${iv(m.falsePer100, 2)} per 100 lift-months).`;
  const meets = m.predicted72h.value >= TARGET.predicted72hPct && m.falsePer100.value <= TARGET.falsePer100;
  const more = Math.sign(m.predicted72h.value - r.predicted72h.value);
  const fewer = Math.sign(r.falsePer100.value - m.falsePer100.value);
  const vsRule = same !== undefined ? same : more >= 0 && fewer >= 0 ? (more + fewer > 0 ? 'beats the rule' : 'ties with the rule')
    : more <= 0 && fewer <= 0 ? 'is WORSE than the rule' : `trades off against the rule (${more > 0 ? 'more' : 'fewer'} predicted ≥ 72 h, ${fewer > 0 ? 'fewer' : 'more'} false alerts)`;
  const known = onset.filter((h) => !Number.isNaN(h));
  const early = known.filter((h) => h >= 72).length;
  const ceiling = known.length === 0 ? '' : early === known.length
    ? ` Ceiling: ${known.length === 1 ? 'the one failure' : `every one of the ${known.length} failures`} came ≥ 72 h after its fault began, so a warning that early was possible${known.length === 1 ? '' : ' for all'}.`
    : ` Ceiling: of the ${known.length} failures whose fault onset the truth gives, ${early} (${num((100 * early) / known.length)} %) came ≥ 72 h after their fault began; the other ${known.length - early} had no precursor 72 h before them, so no predictor can warn of them that early.`;
  return `target ${meets ? 'met' : 'NOT met'} (≥ 72 h ${iv(m.predicted72h)} %, false ${iv(m.falsePer100, 2)} per 100 lift-months); it ${vsRule} (rule ≥ 72 h ${iv(r.predicted72h)} %, false ${iv(r.falsePer100, 2)}).${ceiling}`;
}

/** EVALUATION.md: written by the command only, every figure from this run. */
export function renderEvaluation(e: Evaluation, s: Summary, c: ReportContext): string {
  const any = e.models.doorSystem.manifest;
  const L: string[] = [
    '# Model evaluation', '',
    `Written by \`${c.command}\` (models/src/evaluate/evaluate-main.ts); do not edit: every figure below comes from that run.`, '',
    '## Data', '',
    `- Evaluated: ${s.lifts} simulated lifts, ${num(e.liftYears, 1)} lift-years, ${e.records.toLocaleString('en')} records (mixes ${c.slice.mixes.join(', ')}; seeds ${seedsText(c.slice.seeds)}; ${c.slice.lifts} lifts from lift ${(c.slice.firstLift ?? 0) + 1}; ${c.slice.days} days each${c.fromDay > 0 ? `; failures and alerts counted from day ${c.fromDay}` : ''}).`,
    `- Generator: ${c.generator}${c.generator === any.training.generator ? ' (the one the models were trained on)' : ` (the models were trained on ${any.training.generator})`}.`,
    `- Models: ${FAMILY_NAMES.map((f) => `${MODEL_ID[f]} v${e.models[f].version} (${e.models[f].manifest.training.learner})`).join(', ')}; trained on ${any.training.liftYears} lift-years (${any.training.mixes.join(', ')}; seeds ${seedsText(any.training.seeds)}), thresholds and rules calibrated on ${any.validation.liftYears} lift-years (${any.validation.mixes.join(', ')}; seeds ${seedsText(any.validation.seeds)}).`,
    `- Held out as: ${heldOutAs(any, c.slice, c.fromDay).join('; ')}.`, '',
    '## How it is counted', '',
    `- A **failure** is a functional failure of the ground truth (the callout a crew gets: door-protection trip, lock fault, brake test failed, unintended movement, ride-quality callout, rope slip, overheat trip; see docs/failure-modes.md and docs/model-evaluation.md).`,
    `- It is **predicted** when an alert of its family, raised before it and within ${c.horizonDays} days of it, was still open at the failure; the lead time runs from that raise.`,
    `- A **false alert** is an alert episode (raise to clear) with no failure of its family while it was open and within ${c.horizonDays} days of its raise; per 100 lift-months of scored time.`,
    '- **Served** is what the platform raises: per family the model, the rule, or model-or-rule (an alert while either holds its own), as the manifest chose on the validation lifts (see below).',
    '- Scores every 6 h of simulated time from day 14 of each lift, through the hysteresis in the model\'s manifest; rules through theirs, both calibrated on the validation lifts.',
    '- [low–high]: 95 % percentile-bootstrap interval over lifts (1,000 resamples, seed 1).', '',
    '## Failures predicted and false alerts', '',
    '| Family / predictor | Failures | ≥ 72 h, % | ≥ 24 h, % | Median lead | Lead p10–p90 | False / 100 lift-months | Time in alert, % |', '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of FAMILY_NAMES) {
    L.push(row(`${MODEL_ID[f]} model v${e.models[f].version}`, s.model[f]));
    L.push(row(`${MODEL_ID[f]} rule`, s.rule[f]));
    L.push(row(`**${MODEL_ID[f]} served: ${servedPredictor(e.models[f].manifest)}**`, s.served[f]));
  }
  if (c.byMix !== undefined && c.byMix.length > 1) {
    L.push('', 'By mix (served predictor, then the rule: ≥ 72 h % and false alerts per 100 lift-months):', '', `| Mix | ${FAMILY_NAMES.map((f) => MODEL_ID[f]).join(' | ')} |`, `|---|${FAMILY_NAMES.map(() => '---').join('|')}|`);
    for (const [mix, m] of c.byMix) L.push(`| ${mix} | ${FAMILY_NAMES.map((f) => `${failures(m.served[f].failures)}: served ${iv(m.served[f].predicted72h)} %, ${iv(m.served[f].falsePer100, 2)}; rule ${iv(m.rule[f].predicted72h)} %, ${iv(m.rule[f].falsePer100, 2)}`).join(' | ')} |`);
  }
  L.push('', 'Rules (limits at the scale calibrated on the validation lifts):', '');
  for (const f of FAMILY_NAMES) L.push(`- ${MODEL_ID[f]}: ${ruleText(f, e.models[f].manifest.validation.rule.scale)}.`);
  L.push('', `## Targets: ≥ ${TARGET.predicted72hPct} % predicted ≥ 72 h ahead at ≤ ${TARGET.falsePer100} false alert per 100 lift-months, never worse than the best rule`, '');
  for (const f of FAMILY_NAMES) L.push(`- ${MODEL_ID[f]}: ${verdict(f, e, s)}`);
  L.push(...servedSection(e));
  L.push('', '## Learners tried (validation lifts, each at its own calibrated thresholds)', '', '| Family | Learner | ≥ 72 h, % | False / 100 lift-months | Within the false-alert target | Kept |', '|---|---|---|---|---|---|');
  for (const f of FAMILY_NAMES) {
    const m = e.models[f].manifest;
    const shown = (v: number | undefined) => (v === undefined || v === -1 ? 'n/a' : String(v));
    for (const [l, fig] of Object.entries(m.validation.learners)) {
      const within = (fig['falsePer100LiftMonths'] ?? 0) <= (m.training.options['maxFalsePer100'] ?? TARGET.falsePer100);
      L.push(`| ${MODEL_ID[f]} | ${l} | ${shown(fig['predicted72hPct'])} | ${shown(fig['falsePer100LiftMonths'])} | ${within ? 'yes' : 'no'} | ${l === m.training.learner ? 'yes' : ''} |`);
    }
  }
  L.push('', '## Health grade against any functional failure in the next 30 days', '', '| Grade | Scores | With a failure in 30 days | Rate, % |', '|---|---|---|---|');
  for (const g of s.grades) L.push(`| ${g.grade} | ${g.samples} | ${g.failed} | ${iv(g.rate, 1)} |`);
  L.push('', `Monotone (a worse grade never has a lower rate, over the grades seen): ${s.monotone ? 'yes' : 'no'}.`, '');
  if (c.realData !== undefined) L.push('## Real data: the Huawei elevator file', '', c.realData, '');
  L.push(`Evaluation took ${num(e.seconds)} s.`, '');
  return L.join('\n');
}

/** bench/results/model-evaluation.json: per family the figures of the evaluation (docs/model-evaluation.md), with intervals. */
export function evaluationMetrics(e: Evaluation, s: Summary, command: string, date = new Date()): object[] {
  const out: object[] = [];
  const m = (metric: string, unit: string, i: Interval, reference: number, extra: object = {}) => out.push({
    metric, unit, value: round(i.value), low: round(i.low), high: round(i.high), reference, ...extra, command, date: date.toISOString(),
  });
  for (const f of FAMILY_NAMES) {
    const id = MODEL_ID[f];
    m(`${id} predicted >= 72 h`, '%', s.model[f].predicted72h, TARGET.predicted72hPct);
    m(`${id} false alerts per 100 lift-months`, 'per 100 lift-months', s.model[f].falsePer100, TARGET.falsePer100);
    m(`${id} rule predicted >= 72 h`, '%', s.rule[f].predicted72h, TARGET.predicted72hPct);
    m(`${id} rule false alerts per 100 lift-months`, 'per 100 lift-months', s.rule[f].falsePer100, TARGET.falsePer100);
    const predictor = servedPredictor(e.models[f].manifest);
    m(`${id} served predicted >= 72 h`, '%', s.served[f].predicted72h, TARGET.predicted72hPct, { predictor });
    m(`${id} served false alerts per 100 lift-months`, 'per 100 lift-months', s.served[f].falsePer100, TARGET.falsePer100, { predictor });
    out.push({ metric: `${id} failures`, unit: 'count', value: s.model[f].failures, command, date: date.toISOString() });
    out.push({ metric: `${id} served false alerts open while a routine visit repaired a fault of the family`, unit: 'count', value: s.served[f].falseRepaired, of: s.served[f].falseEpisodes, predictor, command, date: date.toISOString() });
  }
  out.push({ metric: 'evaluation time', unit: 's', value: round(e.seconds), command, date: date.toISOString() });
  out.push({ metric: 'evaluated lift-years', unit: 'lift-years', value: round(e.liftYears), command, date: date.toISOString() });
  return out;
}

/** Which predictor each family serves, and the validation figures that chose it (the manifest's `serving`). */
function servedSection(e: Evaluation): string[] {
  const L = ['', '## Served predictor, chosen on the validation lifts only', '',
    'Serving raises each family\'s predicted alert from the model, the calibrated rule, or either (an alert while either holds its own, each through its own hysteresis). The choice was made on the validation lifts (never on the lifts above) and is recorded in the manifest (`serving`): each predictor calibrated within the false-alert budget, then the rule unless another predictor does better there (within the budget, then more ≥ 72 h, then fewer false alerts); the model alone, which can miss what the rule predicts, only by at least 2 failures and 5 points more ≥ 72 h ahead than a rule within the budget.', '',
    '| Family | Served | False-alert budget / 100 lift-months | Validation: model ≥ 72 h %, false | rule | model-or-rule |', '|---|---|---|---|---|---|'];
  for (const f of FAMILY_NAMES) {
    const m = e.models[f].manifest;
    const fig = (p: string) => { const x = m.serving?.figures[p]; return x === undefined ? 'n/a' : `${x['predicted72hPct'] === -1 ? 'n/a' : x['predicted72hPct']} %, ${x['falsePer100LiftMonths'] === -1 ? 'n/a' : x['falsePer100LiftMonths']}`; };
    L.push(`| ${MODEL_ID[f]} | ${servedPredictor(m)}${m.serving === undefined ? ' (no choice recorded: the model)' : ''} | ${m.serving?.budget ?? m.training.options['maxFalsePer100'] ?? 'n/a'} | ${fig('model')} | ${fig('rule')} | ${fig('model-or-rule')} |`);
  }
  return L;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
