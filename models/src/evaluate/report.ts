import { FAMILY_NAMES } from '../train/training-data.js';
import { median, type FamilyResult } from './episodes.js';
import type { Evaluation } from './evaluate.js';

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(0)} %`);
const per100 = (r: FamilyResult) => (r.liftMonths === 0 ? 0 : (100 * r.falseAlerts) / r.liftMonths);
const cells = (r: FamilyResult) => [String(r.failures), pct(r.predicted24h, r.failures), pct(r.predicted72h, r.failures), `${median(r.leadHours).toFixed(0)} h`, per100(r).toFixed(1), pct(r.trueAlerts, r.alerts)];

/** The figures as Markdown tables: models and rules side by side per family, then the grades. */
export function renderEvaluation(e: Evaluation, heading: string): string {
  const lines = [heading, '', `${e.lifts} held-out lifts. "Predicted ≥ 72 h" = the first raise of the alert before the failure came at least 72 h ahead; false alerts per 100 lift-months; precision = raises followed by a failure of that family within 14 days.`, '',
    '| Family | Predictor | Failures | ≥ 24 h | ≥ 72 h | Median lead | False / 100 lift-months | Precision |', '|---|---|---|---|---|---|---|---|'];
  for (const f of FAMILY_NAMES) {
    lines.push(`| ${f} | model v${e.models[f].version} | ${cells(e.models[f].result).join(' | ')} |`);
    lines.push(`| ${f} | rule: ${e.rules[f].text} | ${cells(e.rules[f].result).join(' | ')} |`);
  }
  lines.push('', '### Targets', '');
  const d = e.models.doorSystem.result;
  const d72 = d.failures === 0 ? 0 : d.predicted72h / d.failures;
  lines.push(`- Door system ≥ 72 h ahead: ${pct(d.predicted72h, d.failures)} (target ≥ 80 %: ${d.failures === 0 ? 'not measurable: no door failure in this data' : d72 >= 0.8 ? 'met' : `missed by ${(80 - 100 * d72).toFixed(0)} points`}); false alerts ${per100(d).toFixed(1)} per 100 lift-months (target ≤ 1: ${per100(d) <= 1 ? 'met' : `missed by ${(per100(d) - 1).toFixed(1)}`}).`);
  for (const f of FAMILY_NAMES) {
    const m = e.models[f].result; const r = e.rules[f].result;
    const lead = Math.sign(m.predicted72h / Math.max(m.failures, 1) - r.predicted72h / Math.max(r.failures, 1));
    const fa = Math.sign(per100(r) - per100(m));
    const verdict = m.failures === 0 ? 'cannot be compared on lead time (no failure of this family in this data) with' : lead === 0 && fa === 0 ? 'ties with' : lead >= 0 && fa >= 0 ? 'beats' : lead <= 0 && fa <= 0 ? 'is beaten by' : 'trades off against';
    lines.push(`- ${f}: model ${verdict} the rule (≥ 72 h ${pct(m.predicted72h, m.failures)} vs ${pct(r.predicted72h, r.failures)}; false ${per100(m).toFixed(1)} vs ${per100(r).toFixed(1)} per 100 lift-months).`);
  }
  lines.push('', '### Health grade against failures in the next 30 days', '', '| Grade | Scores | With a failure in 30 d | Rate |', '|---|---|---|---|');
  for (const g of e.grades) lines.push(`| ${g.grade} | ${g.scores} | ${g.withFailure} | ${g.scores === 0 ? '–' : pct(g.withFailure, g.scores)} |`);
  lines.push('', `Monotone (a worse grade never has a lower failure rate, over grades with scores): ${e.monotone ? 'yes' : 'no'}.`, '');
  return lines.join('\n');
}
