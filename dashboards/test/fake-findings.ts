import {
  findingFamily, findingOfMove, findingProblem, lwError, precisionReport,
  type AlertDetail, type AlertState, type Finding, type FindingInput, type FindingTally,
} from '@liftwatch/contract';
import type { FindingsPort } from '../src/deps.js';

/**
 * The crews' findings in memory, with the rules of the real one (alerting over the state store):
 * `check` before a move, `closed` after it; the model of a predicted alert is in its first evidence's values.
 */
export function fakeFindings(alertOf: (id: number) => AlertDetail, now: () => number) {
  const findings = new Map<number, Finding>();

  function save(a: AlertDetail, input: FindingInput, actor: string): Finding {
    const values = a.evidence.at(-1)?.evidence.values ?? {};
    const modelId = typeof values['modelId'] === 'string' ? values['modelId'] : null;
    const finding: Finding = {
      alertId: a.id, liftId: a.liftId, code: a.code, alertOpenedAt: a.openedAt, modelId, modelVersion: modelId === null ? null : String(values['version']),
      family: findingFamily({ code: a.code, modelId, component: input.component }),
      outcome: input.outcome, component: input.component ?? null, partReplaced: input.partReplaced ?? null, note: input.note ?? '', actor, at: now(),
    };
    findings.set(a.id, finding);
    a.finding = finding;
    a.audit.push({ at: now(), action: 'finding', actor, note: input.outcome });
    return finding;
  }

  const refuse = (a: AlertDetail, to: AlertState, input: FindingInput | undefined) => {
    const problem = findingProblem(a, to, input);
    if (problem) throw lwError(problem.missing ? 'LW_ERR_FINDING_REQUIRED' : 'LW_ERR_REQUEST_INVALID', problem.message);
  };

  const port: FindingsPort = {
    record(alertId, input, actor) {
      const a = alertOf(alertId);
      if (a.state !== 'resolved' && a.state !== 'falseAlarm') throw lwError('LW_ERR_REQUEST_INVALID', `alert ${alertId} is ${a.state}: its finding is sent with the move that closes it (resolve or false-alarm)`);
      refuse(a, a.state, input);
      return save(a, input, actor);
    },
    precision() {
      const tallies: FindingTally[] = [...findings.values()].map((f) => ({ modelId: f.modelId, modelVersion: f.modelVersion, code: f.code, outcome: f.outcome, component: f.component, count: 1 }));
      return precisionReport(tallies);
    },
    page: ({ after, limit, since }) => [...findings.values()].filter((f) => f.alertId > after && (since === undefined || f.alertOpenedAt >= since))
      .sort((x, y) => x.alertId - y.alertId).slice(0, limit),
  };

  return {
    port,
    /** Refuses a move whose finding is missing or does not fit, as alerting does. */
    check: refuse,
    /** Keeps the finding of a move that closed the alert. */
    closed(a: AlertDetail, to: AlertState, input: FindingInput | undefined, actor: string): void {
      const finding = findingOfMove(to, input);
      if (finding) save(a, finding, actor);
    },
  };
}
