import type { Kysely, Selectable } from 'kysely';
import { FindingInput, findingFamily, findingProblem, lwError, type AlertState, type Finding, type FindingTally, type Severity } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { FindingsTable, StateTables } from '../tables.js';
import { checkTime, parse } from '../check.js';

const toFinding = (r: Selectable<FindingsTable>): Finding => ({
  alertId: Number(r.alert_id), liftId: r.lift_id, code: r.code, alertOpenedAt: Number(r.alert_opened_at), modelId: r.model_id, modelVersion: r.model_version, family: r.family,
  outcome: r.outcome as Finding['outcome'], component: r.component as Finding['component'], partReplaced: r.part_replaced, note: r.note, actor: r.actor, at: Number(r.at),
});

/** The model and version whose prediction opened an alert: in the values of its first occurrence (models/src/serving); none when the family's served rule fired it. */
async function predictedBy(db: Kysely<StateTables>, alertId: number): Promise<{ modelId: string | null; modelVersion: string | null }> {
  const first = await db.selectFrom('alert_occurrences').select('values_json').where('alert_id', '=', alertId).orderBy('at').orderBy('seq').limit(1).executeTakeFirst();
  let values: Record<string, unknown> = {};
  try {
    values = first ? (JSON.parse(first.values_json) as Record<string, unknown>) : {};
  } catch {
    // Evidence values that are not JSON name no model.
  }
  const version = values['version'];
  // a family may serve its calibrated rule beside its model: an alert the rule raised is the rule's
  if (values['firedBy'] === 'rule') return { modelId: null, modelVersion: null };
  return typeof values['modelId'] === 'string' && (typeof version === 'string' || typeof version === 'number')
    ? { modelId: values['modelId'], modelVersion: String(version) } : { modelId: null, modelVersion: null };
}

/** A short line for the audit trail: "confirmed: doorOperator; replaced door belt". */
export const findingLine = (f: FindingInput): string =>
  [`${f.outcome}${f.component ? `: ${f.component}` : ''}`, f.partReplaced ? `replaced ${f.partReplaced}` : '', f.note ?? ''].filter((x) => x !== '').join('; ');

/**
 * Writes the finding of an alert in `trx` (the transaction that closes it, or that records it
 * later), replacing one it had, with an audit line. The caller has checked it against the move.
 */
export async function writeFinding(trx: Kysely<StateTables>, alertId: number, input: FindingInput, actor: string, at: number): Promise<void> {
  const alert = await trx.selectFrom('alerts').select(['lift_id', 'code', 'opened_at']).where('id', '=', alertId).executeTakeFirstOrThrow();
  const { modelId, modelVersion } = await predictedBy(trx, alertId);
  const row = {
    lift_id: alert.lift_id, code: alert.code, alert_opened_at: alert.opened_at, model_id: modelId, model_version: modelVersion,
    family: findingFamily({ code: alert.code, modelId, component: input.component }),
    outcome: input.outcome, component: input.component ?? null, part_replaced: input.partReplaced ?? null, note: input.note ?? '', actor, at,
  };
  await trx.insertInto('alert_findings').values({ alert_id: alertId, ...row }).onConflict((oc) => oc.column('alert_id').doUpdateSet(row)).execute();
  await trx.insertInto('alert_audit').values({ alert_id: alertId, at, action: 'finding', actor, note: findingLine(input) }).execute();
}

/** Checks a finding's shape, and that it goes with the alert's move to `to`; returns it with defaults. */
export function checkFinding(alert: { id: number; code: string; severity: Severity }, to: AlertState, input: unknown): FindingInput {
  const finding = parse(FindingInput, input, `finding of alert ${alert.id}`);
  const problem = findingProblem(alert, to, finding);
  if (problem) throw lwError('LW_ERR_REQUEST_INVALID', problem.message);
  return finding;
}

/**
 * Findings: what crews found when they closed alerts. Written with the move that closes an alert
 * (stores/alerts.ts) or, for an alert closed without one (a P1 rescue), later with `put`. Read as
 * tallies for precision and in pages as training labels.
 */
export function createFindings({ db, write }: StateDb) {
  /** Records or replaces the finding of a closed alert; the finding must fit how it was closed (resolved or a false alarm). */
  async function put(alertId: number, input: unknown, actor: string, at: number): Promise<Finding> {
    checkTime(at, `finding of alert ${alertId}: at`);
    const alert = await db.selectFrom('alerts').select(['id', 'code', 'severity', 'state']).where('id', '=', alertId).executeTakeFirst();
    if (!alert) throw lwError('LW_ERR_NOT_FOUND', `alert ${alertId} does not exist`);
    if (alert.state !== 'resolved' && alert.state !== 'falseAlarm') {
      throw lwError('LW_ERR_REQUEST_INVALID', `alert ${alertId} is ${alert.state}: its finding is sent with the move that closes it (resolve or false-alarm)`);
    }
    const finding = checkFinding({ id: alertId, code: alert.code, severity: alert.severity as Severity }, alert.state as AlertState, input);
    await write((trx) => writeFinding(trx, alertId, finding, actor, at));
    return (await get(alertId))!;
  }

  async function get(alertId: number): Promise<Finding | undefined> {
    const r = await db.selectFrom('alert_findings').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
    return r ? toFinding(r) : undefined;
  }

  /** How many findings of each model version, code, outcome and component: what precision is computed from. */
  async function tally(): Promise<FindingTally[]> {
    const rows = await db.selectFrom('alert_findings')
      .select((e) => ['model_id', 'model_version', 'code', 'outcome', 'component', e.fn.countAll<number | string | bigint>().as('n')])
      .groupBy(['model_id', 'model_version', 'code', 'outcome', 'component']).execute();
    return rows.map((r) => ({ modelId: r.model_id, modelVersion: r.model_version, code: r.code, outcome: r.outcome as Finding['outcome'], component: r.component, count: Number(r.n) }));
  }

  /** Findings in the order of their alerts, after the alert id `after`; `since`: of alerts opened since then. */
  async function page(opts: { after: number; limit: number; since?: number }): Promise<Finding[]> {
    let q = db.selectFrom('alert_findings').selectAll().where('alert_id', '>', opts.after).orderBy('alert_id').limit(opts.limit);
    if (opts.since !== undefined) q = q.where('alert_opened_at', '>=', opts.since);
    return (await q.execute()).map(toFinding);
  }

  return { put, get, tally, page };
}
