import { servedPredictor, type ModelManifest } from '../registry/manifest.js';
import { FAMILY_NAMES, MODEL_ID, type Family } from '../train/families.js';
import { seedsText, type FleetSlice } from '../train/fleet-split.js';
import type { Evaluation } from './evaluate.js';
import type { OracleSetting } from './oracle.js';
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

/** How one mix and seed of the evaluation stand to one model's training and validation (the lifts it was trained and calibrated on). */
function heldOutStatus(m: ModelManifest, s: FleetSlice, fromDay: number, mix: string, seed: number): string {
  const inT = m.training.mixes.includes(mix); const inV = m.validation.mixes.includes(mix);
  const seen = (inT && m.training.seeds.includes(seed)) || (inV && m.validation.seeds.includes(seed));
  const count = inT ? m.training.lifts : m.validation.lifts;
  const days = inT ? m.training.days : m.validation.days;
  const lifts = (s.firstLift ?? 0) >= count;
  return !inT && !inV ? 'a mix neither training nor validation used'
    : !seen ? `a ${inT ? 'training' : 'validation'} mix, a seed it never used`
    : lifts ? `${inT ? 'training' : 'validation'} mix and seed, lifts it never used (from lift ${(s.firstLift ?? 0) + 1})`
    : fromDay >= days ? `the ${inT ? 'training' : 'validation'} lifts, days ${fromDay} on (it used days 0–${days})`
    : `NOT HELD OUT: these are ${inT ? 'training' : 'validation'} lifts and days`;
}

/** How the evaluated lifts relate to the ones each family's model was trained and calibrated on: one status per mix and seed where the models agree, else each status with its models. */
export function heldOutForAll(models: Readonly<Record<Family, { manifest: ModelManifest }>>, s: FleetSlice, fromDay: number): string[] {
  const out: string[] = [];
  for (const mix of s.mixes) for (const seed of s.seeds) {
    const by = new Map<string, string[]>();
    for (const f of FAMILY_NAMES) { const st = heldOutStatus(models[f].manifest, s, fromDay, mix, seed); by.set(st, [...(by.get(st) ?? []), MODEL_ID[f]]); }
    out.push(`${mix} seed ${seed}: ${by.size === 1 ? [...by.keys()][0]! : [...by].map(([st, ids]) => `${st} (${ids.join(', ')})`).join(', ')}`);
  }
  return out;
}

/** What each group of models was trained and calibrated on, the families that share it together. */
export function trainedOn(models: Readonly<Record<Family, { manifest: ModelManifest }>>): string {
  const by = new Map<string, string[]>();
  for (const f of FAMILY_NAMES) {
    const m = models[f].manifest;
    const text = `trained on ${m.training.liftYears} lift-years (${m.training.mixes.join(', ')}; seeds ${seedsText(m.training.seeds)}), thresholds and rules calibrated on ${m.validation.liftYears} lift-years (${m.validation.mixes.join(', ')}; seeds ${seedsText(m.validation.seeds)})`;
    by.set(text, [...(by.get(text) ?? []), MODEL_ID[f]]);
  }
  return by.size === 1 ? [...by.keys()][0]! : [...by].map(([text, ids]) => `${ids.join(', ')} ${text}`).join('; ');
}

function row(name: string, s: FamilySummary): string {
  return `| ${name} | ${s.failures} | ${iv(s.predicted72h)} | ${iv(s.predicted24h)} | ${iv(s.medianLeadH)} h | ${num(s.leadH.p10)}–${num(s.leadH.p90)} h | ${iv(s.falsePer100, 2)} | ${iv(s.alertTimePct, 1)} |`;
}

/** The verdict of what serving raises (the predictor chosen on the validation lifts), against the rule and beside the model alone. */
function verdict(f: Family, e: Evaluation, s: Summary): string {
  const p = servedPredictor(e.models[f].manifest);
  const m = s.model[f];
  const alone = p === 'model' ? '' : ` The model alone: ≥ 72 h ${iv(m.predicted72h)} %, false ${iv(m.falsePer100, 2)}.`;
  const paired = p === 'rule' || s.served[f].failures === 0 ? '' : ` ${pairedText(s.servedVsRule[f])}`;
  return `served predictor ${p}: ${judged(f, s.served[f], s.rule[f], e.lifts.flatMap((l) => l.counted[f].map((c) => c.onsetLeadH)), p === 'rule' ? 'is the rule' : undefined)}${paired}${alone}${repairedText(s.served[f])}${oracleText(f, e, s)}`;
}

/** The paired difference served − rule, and whether the lifts make it sure (its 95 % interval excludes 0). */
export function pairedText(d: { predicted72h: Interval; falsePer100: Interval }): string {
  const signed = (i: Interval, digits: number) => { const v = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`); return `${v(i.value)} [${v(i.low)} to ${v(i.high)}]`; };
  const sure = (i: Interval) => (i.low > 0 || i.high < 0 ? 'sure' : 'not sure');
  return `Paired over the same lifts, served − rule: ${signed(d.predicted72h, 0)} points ≥ 72 h (${sure(d.predicted72h)} at 95 %), ${signed(d.falsePer100, 2)} false alerts per 100 lift-months (${sure(d.falsePer100)}).`;
}

/** The oracle at the budget the family's served predictor was held to, and its summary on the evaluated lifts. */
function oracleAt(e: Evaluation, s: Summary, f: Family): { setting: OracleSetting; summary: FamilySummary } | undefined {
  if (e.oracle === undefined || s.oracle === undefined) return undefined;
  const b = e.oracle.budgets.indexOf(e.oracle.servedBudget[f]);
  return b < 0 ? undefined : { setting: e.oracle.settings[f][b]!, summary: s.oracle[f][b]! };
}

/** The ceiling: what the oracle predicted at the served predictor's budget, and why its false alerts were false. */
function oracleText(f: Family, e: Evaluation, s: Summary): string {
  const o = oracleAt(e, s, f);
  if (o === undefined || o.summary.failures === 0) return '';
  const x = o.summary;
  const why = x.falseEpisodes === 0 ? '' : `; of its ${x.falseEpisodes} false alert${x.falseEpisodes === 1 ? '' : 's'}, ${x.falseRepaired} (${num((100 * x.falseRepaired) / x.falseEpisodes)} %) ${x.falseRepaired === 1 ? 'was' : 'were'} open while a routine visit repaired the wear it warned of`;
  return ` Ceiling: an oracle reading the true ${o.setting.state.replace('-', ' ')} of the family's components, calibrated the same way within the same budget (${o.setting.budget}), predicted ≥ 72 h ${iv(x.predicted72h)} % at ${iv(x.falsePer100, 2)} false alerts per 100 lift-months${why}.`;
}

/** Which models were trained on the evaluated generator and which on another version of it. */
export function generatorNote(generator: string, models: Evaluation['models']): string {
  const other = FAMILY_NAMES.filter((f) => models[f].manifest.training.generator !== generator);
  if (other.length === 0) return ' (the one every model was trained on)';
  const byGenerator = new Map<string, string[]>();
  for (const f of other) byGenerator.set(models[f].manifest.training.generator, [...(byGenerator.get(models[f].manifest.training.generator) ?? []), MODEL_ID[f]]);
  return `; ${[...byGenerator].map(([g, ids]) => `${ids.join(', ')} ${ids.length === 1 ? 'was' : 'were'} trained on ${g}`).join('; ')}${other.length < FAMILY_NAMES.length ? ', the others on this one' : ''}`;
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
  const ceiling = known.length === 0 || early === known.length ? ''
    : ` Of the ${known.length} failures whose fault onset the truth gives, ${known.length - early} came less than 72 h after their fault began: no predictor can warn of them that early.`;
  return `target ${meets ? 'met' : 'NOT met'} (≥ 72 h ${iv(m.predicted72h)} %, false ${iv(m.falsePer100, 2)} per 100 lift-months); it ${vsRule} (rule ≥ 72 h ${iv(r.predicted72h)} %, false ${iv(r.falsePer100, 2)}).${ceiling}`;
}

/** EVALUATION.md: written by the command only, every figure from this run. */
export function renderEvaluation(e: Evaluation, s: Summary, c: ReportContext): string {
  const L: string[] = [
    '# Model evaluation', '',
    `Written by \`${c.command}\` (models/src/evaluate/evaluate-main.ts); do not edit: every figure below comes from that run.`, '',
    '## Data', '',
    `- Evaluated: ${s.lifts} simulated lifts, ${num(e.liftYears, 1)} lift-years, ${e.records.toLocaleString('en')} records (mixes ${c.slice.mixes.join(', ')}; seeds ${seedsText(c.slice.seeds)}; ${c.slice.lifts} lifts from lift ${(c.slice.firstLift ?? 0) + 1}; ${c.slice.days} days each${c.fromDay > 0 ? `; failures and alerts counted from day ${c.fromDay}` : ''}).`,
    `- Generator: ${c.generator}${generatorNote(c.generator, e.models)}.`,
    `- Models: ${FAMILY_NAMES.map((f) => `${MODEL_ID[f]} v${e.models[f].version} (${e.models[f].manifest.training.learner})`).join(', ')}; ${trainedOn(e.models)}.`,
    `- Held out as: ${heldOutForAll(e.models, c.slice, c.fromDay).join('; ')}.`, '',
    '## How it is counted', '',
    `- A **failure** is a functional failure of the ground truth (the callout a crew gets: door-protection trip, lock fault, brake test failed, unintended movement, ride-quality callout, rope slip, overheat trip; see docs/failure-modes.md and docs/model-evaluation.md).`,
    `- It is **predicted** when an alert of its family, raised before it and within ${c.horizonDays} days of it, was still open at the failure; the lead time runs from that raise.`,
    `- A **false alert** is an alert episode (raise to clear) with no failure of its family while it was open and within ${c.horizonDays} days of its raise; per 100 lift-months of scored time.`,
    '- **Served** is what the platform raises: per family the model, the rule, or model-or-rule (an alert while either holds its own), as the manifest chose on the validation lifts (see below).',
    '- Scores every 6 h of simulated time from day 14 of each lift, through the hysteresis in the model\'s manifest; rules through theirs, both calibrated on the validation lifts.',
    ...(e.oracle !== undefined ? ['- **Oracle** reads the simulator\'s true component state instead of the records, through the same calibration and counting; it is never served and measures the ceiling (see "Ceiling" below).'] : []),
    '- [low–high]: 95 % percentile-bootstrap interval over lifts (1,000 resamples, seed 1).', '',
    '## Failures predicted and false alerts', '',
    '| Family / predictor | Failures | ≥ 72 h, % | ≥ 24 h, % | Median lead | Lead p10–p90 | False / 100 lift-months | Time in alert, % |', '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of FAMILY_NAMES) {
    L.push(row(`${MODEL_ID[f]} model v${e.models[f].version}`, s.model[f]));
    L.push(row(`${MODEL_ID[f]} rule`, s.rule[f]));
    L.push(row(`**${MODEL_ID[f]} served: ${servedPredictor(e.models[f].manifest)}**`, s.served[f]));
    const o = oracleAt(e, s, f);
    if (o !== undefined) L.push(row(`${MODEL_ID[f]} oracle: true ${o.setting.state.replace('-', ' ')} (never served)`, o.summary));
  }
  if (c.byMix !== undefined && c.byMix.length > 1) {
    L.push('', 'By mix (served predictor, then the rule: ≥ 72 h % and false alerts per 100 lift-months):', '', `| Mix | ${FAMILY_NAMES.map((f) => MODEL_ID[f]).join(' | ')} |`, `|---|${FAMILY_NAMES.map(() => '---').join('|')}|`);
    for (const [mix, m] of c.byMix) L.push(`| ${mix} | ${FAMILY_NAMES.map((f) => `${failures(m.served[f].failures)}: served ${iv(m.served[f].predicted72h)} %, ${iv(m.served[f].falsePer100, 2)}; rule ${iv(m.rule[f].predicted72h)} %, ${iv(m.rule[f].falsePer100, 2)}`).join(' | ')} |`);
  }
  L.push('', 'Rules (limits at the scale calibrated on the validation lifts):', '');
  for (const f of FAMILY_NAMES) L.push(`- ${MODEL_ID[f]}: ${ruleText(f, e.models[f].manifest.validation.rule.scale)}.`);
  L.push('', `## Targets: ≥ ${TARGET.predicted72hPct} % predicted ≥ 72 h ahead at ≤ ${TARGET.falsePer100} false alert per 100 lift-months, never worse than the best rule`, '');
  for (const f of FAMILY_NAMES) L.push(`- ${MODEL_ID[f]}: ${verdict(f, e, s)}`);
  L.push(...causeSection(s));
  L.push(...oracleSection(e, s));
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

/**
 * bench/results/model-evaluation.json: per family the figures of the evaluation (docs/model-evaluation.md), with intervals,
 * in the rows every results file holds (bench/README.md): each with its target as the reference and value / target as the
 * ratio; both null for a figure without a target (counts, the evaluation's time and size), the ratio null for a difference
 * (its reference is 0) and for a figure the lifts could not give (no failures).
 */
export function evaluationMetrics(e: Evaluation, s: Summary, command: string, date = new Date()): object[] {
  const out: object[] = [];
  const m = (metric: string, unit: string, i: Interval, reference: number, extra: object = {}) => {
    const value = round(i.value);
    out.push({ metric, unit, value, low: round(i.low), high: round(i.high), reference, ratio: ratioTo(value, reference), ...extra, command, date: date.toISOString() });
  };
  for (const f of FAMILY_NAMES) {
    const id = MODEL_ID[f];
    m(`${id} predicted >= 72 h`, '%', s.model[f].predicted72h, TARGET.predicted72hPct);
    m(`${id} false alerts per 100 lift-months`, 'per 100 lift-months', s.model[f].falsePer100, TARGET.falsePer100);
    m(`${id} rule predicted >= 72 h`, '%', s.rule[f].predicted72h, TARGET.predicted72hPct);
    m(`${id} rule false alerts per 100 lift-months`, 'per 100 lift-months', s.rule[f].falsePer100, TARGET.falsePer100);
    const predictor = servedPredictor(e.models[f].manifest);
    m(`${id} served predicted >= 72 h`, '%', s.served[f].predicted72h, TARGET.predicted72hPct, { predictor });
    m(`${id} served false alerts per 100 lift-months`, 'per 100 lift-months', s.served[f].falsePer100, TARGET.falsePer100, { predictor });
    const d = s.servedVsRule[f];
    m(`${id} served minus rule predicted >= 72 h`, 'points', d.predicted72h, 0, { predictor, paired: true });
    m(`${id} served minus rule false alerts per 100 lift-months`, 'per 100 lift-months', d.falsePer100, 0, { predictor, paired: true });
    for (const c of s.byCause.filter((x) => x.family === f)) m(`${id} served predicted >= 72 h, cause ${c.cause === '' ? 'not given' : c.cause}`, '%', c.predicted72h, TARGET.predicted72hPct, { predictor, failures: c.failures });
    out.push({ metric: `${id} failures`, unit: 'count', value: s.model[f].failures, reference: null, ratio: null, command, date: date.toISOString() });
    out.push({ metric: `${id} served false alerts open while a routine visit repaired a fault of the family`, unit: 'count', value: s.served[f].falseRepaired, reference: null, ratio: null, of: s.served[f].falseEpisodes, predictor, command, date: date.toISOString() });
    e.oracle?.settings[f].forEach((st, b) => {
      const x = s.oracle?.[f][b];
      if (x === undefined) return;
      const extra = { budget: st.budget, state: st.state, served: st.budget === e.oracle!.servedBudget[f], validation: round(st.calibration.figures.predicted72hPct), validationFalse: round(st.calibration.figures.falsePer100LiftMonths) };
      m(`${id} oracle predicted >= 72 h at a budget of ${st.budget}`, '%', x.predicted72h, TARGET.predicted72hPct, extra);
      m(`${id} oracle false alerts per 100 lift-months at a budget of ${st.budget}`, 'per 100 lift-months', x.falsePer100, TARGET.falsePer100, extra);
      out.push({ metric: `${id} oracle false alerts open while a routine visit repaired a fault of the family at a budget of ${st.budget}`, unit: 'count', value: x.falseRepaired, reference: null, ratio: null, of: x.falseEpisodes, ...extra, command, date: date.toISOString() });
    });
  }
  out.push({ metric: 'evaluation time', unit: 's', value: round(e.seconds), reference: null, ratio: null, command, date: date.toISOString() });
  out.push({ metric: 'evaluated lift-years', unit: 'lift-years', value: round(e.liftYears), reference: null, ratio: null, command, date: date.toISOString() });
  return out;
}

/** The served predictor per cause of failure (the kinds of fault behind each failure, from the ground truth). */
function causeSection(s: Summary): string[] {
  if (s.byCause.length === 0) return [];
  const L = ['', '## Failures by cause (served predictor)', '',
    'The cause is the kind of the injected fault (or faults) behind each failure, from the ground truth (docs/failure-modes.md): what a crew would find on site. Onset → failure is how long the fault had run; a failure less than 72 h after its onset cannot be predicted 72 h ahead by anything. Worn under half 72 h before counts the failures whose true wear (the worst fault\'s severity in the simulator\'s daily health lines) 72 h before was less than half of that at the failure, of those where both are known: faults that did most of their growing in the last three days, whose records 72 h ahead show less than half of what they show at the end.', '',
    '| Family | Cause | Failures | ≥ 72 h, % | ≥ 24 h, % | Onset → failure, median days | Under 72 h from onset | Worn under half 72 h before |', '|---|---|---|---|---|---|---|---|'];
  for (const c of s.byCause) L.push(`| ${MODEL_ID[c.family]} | ${c.cause === '' ? '(not given)' : c.cause} | ${c.failures} | ${iv(c.predicted72h)} | ${iv(c.predicted24h)} | ${num(c.medianOnsetDays, 1)} | ${c.onsetUnder72h} | ${c.wearUnderHalf72h} of ${c.wearKnown} |`);
  return L;
}

/** The oracle's curve: per family and budget, its validation figures (where it was calibrated) and held-out figures, beside the served predictor. */
function oracleSection(e: Evaluation, s: Summary): string[] {
  const o = e.oracle;
  if (o === undefined || s.oracle === undefined) return [];
  const L = ['', '## Ceiling: an oracle that reads the simulated truth', '',
    `Per family an oracle scores each sample from the simulator's true state of the components that can make the family fail, instead of the records: \`health\`, 1 − their lowest health (the worst injected fault's severity now), or \`remaining-life\`, exp(−d / 30 days) with d the days left before one of them reaches health 0 along its fault's law from its present age. Both come from the ground truth's health lines (written once a day and after every visit); a score at a time reads only the lines up to it, never what comes after, and no future visit. The oracle goes through the same hysteresis and the same search of raise, clear and persistence as the models on the validation lifts (${o.lifts} lifts, ${num(o.liftYears)} lift-years, the models' own), within each budget on every validation mix, the better of the two states kept; then it is judged on the lifts above as the served predictors are. It is never served. Where it does better than the served predictor, what it predicts and the served predictor does not is the part of the gap the records might still give, and what it misses at a budget a predictor that knows the wear no better cannot predict either: wear a routine visit repaired before it failed (a right warning, counted false as for a crew) and wear that gives no change of state 72 h ahead. Where it does worse, it is no ceiling: those failures are timed by more than the wear (the heat and traffic a worn motor trips in, the wear at which each door cause fails), which the records see and the wear alone does not.`, '',
    '| Family | False-alert budget / 100 lift-months | State read | Validation: ≥ 72 h %, false (worst mix) | Held out: ≥ 72 h, % | Held out: false / 100 lift-months | Held-out false alerts a routine visit repaired |',
    '|---|---|---|---|---|---|---|'];
  for (const f of FAMILY_NAMES) {
    o.settings[f].forEach((st, b) => {
      const x = s.oracle![f][b]!;
      const v = st.calibration;
      const served = st.budget === o.servedBudget[f] ? ' (the served budget)' : '';
      L.push(`| ${MODEL_ID[f]} | ${st.budget}${served} | ${st.state} | ${num(v.figures.predicted72hPct, 1)} %, ${num(v.figures.falsePer100LiftMonths, 2)} (${num(v.worstFalsePer100 ?? NaN, 2)}) | ${iv(x.predicted72h)} | ${iv(x.falsePer100, 2)} | ${x.falseEpisodes === 0 ? '0' : `${x.falseRepaired} of ${x.falseEpisodes} (${num((100 * x.falseRepaired) / x.falseEpisodes)} %)`} |`);
    });
  }
  L.push('', 'Against the target (≥ 80 % ≥ 72 h ahead at ≤ 1 false alert per 100 lift-months), per family:', '');
  for (const f of FAMILY_NAMES) {
    const b1 = o.budgets.indexOf(TARGET.falsePer100);
    const at1 = o.settings[f][b1];
    const held1 = s.oracle[f][b1];
    const reach = o.settings[f].find((st) => st.calibration.withinTarget && st.calibration.figures.predicted72hPct >= TARGET.predicted72hPct);
    const x = oracleAt(e, s, f);
    const curve = `on the validation lifts the oracle predicts ${at1 === undefined ? 'n/a' : `${num(at1.calibration.figures.predicted72hPct, 1)} %`} ≥ 72 h ahead within ${TARGET.falsePer100} false alert per 100 lift-months (held out ${held1 === undefined ? 'n/a' : `${iv(held1.predicted72h)} % at ${iv(held1.falsePer100, 2)}`}) and ${reach === undefined ? `reaches ${TARGET.predicted72hPct} % at none of the budgets up to ${Math.max(...o.budgets)}` : `reaches ${TARGET.predicted72hPct} % from a budget of ${reach.budget}`}`;
    const served = s.served[f].predicted72h.value;
    const oracle = x?.summary.predicted72h.value ?? NaN;
    const reading = Number.isNaN(oracle) || Number.isNaN(served) ? ''
      : oracle < served ? '; the true wear times these failures worse than the records do, so it is no ceiling for them'
      : held1 !== undefined && held1.predicted72h.value >= TARGET.predicted72hPct && held1.falsePer100.value <= TARGET.falsePer100 ? '; the simulated world allows the target: the gap is the records\' and the predictors\''
      : `; ${num(TARGET.predicted72hPct - oracle)} points of the gap to ${TARGET.predicted72hPct} % are the simulated world's at the served budget, ${num(oracle - served)} the records' and the predictors'`;
    L.push(`- ${MODEL_ID[f]}: ${curve}; held out, at the served budget, the oracle ${x === undefined ? 'n/a' : `${iv(x.summary.predicted72h)} %`} against the served predictor's ${iv(s.served[f].predicted72h)} %${reading}.`);
  }
  return L;
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
/** value / reference to three decimals, as the benchmarks write it; null where there is nothing to divide (no figure, a reference of 0). */
const ratioTo = (value: number | null, reference: number) => (value !== null && reference !== 0 ? +(value / reference).toFixed(3) : null);
