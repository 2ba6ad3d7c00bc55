import { lwError, type AlertState, type RescueCallInput, type RescueCallView, type RescueStage, type RescueStageInput } from '@liftwatch/contract';
import type { RescueCallRecord, StateStore } from '@liftwatch/state-store';
import type { Alerting } from './alerting.js';
import { ENTRAPMENT_CODE } from './exchange/payloads.js';
import { rescueChecks, rescueStages, type RescueLimits } from './exchange/stages.js';

export interface RescueLineDeps {
  readonly state: StateStore;
  readonly alerting: Pick<Alerting, 'raise' | 'transition'>;
  readonly limits: RescueLimits;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

/** The alert state each reported stage moves an entrapment to, when it is not there yet. */
const ALERT_STATE: Readonly<Record<RescueStage, AlertState>> = { dispatched: 'acknowledged', onSite: 'onSite', released: 'resolved', falseAlarm: 'falseAlarm' };
const RANK: Readonly<Record<AlertState, number>> = { open: 0, acknowledged: 1, onSite: 2, resolved: 3, falseAlarm: 3 };
/** A time a little ahead of the server's clock is a clock's drift; further is a mistake. */
const AHEAD_MS = 60_000;

/**
 * Calls from a lift-emergency line (96333): a call attaches to the lift's open entrapment, or opens
 * one, which escalates like any P1; the stages the line or the crew report are timed against the
 * arrival limit and the 1-3-5 preset. Every call and stage is a line in the alert's audit, which the
 * exchange feeds to the government platform.
 */
export function createRescueLine(deps: RescueLineDeps) {
  const { state } = deps;
  const now = deps.now ?? Date.now;

  async function view(call: RescueCallRecord): Promise<RescueCallView> {
    const alertId = call.alertId!;
    const [alert, audit, calls] = await Promise.all([state.alerts.get(alertId), state.exchangeSources.auditOf(alertId), state.rescueCalls.ofAlerts([alertId])]);
    const stages = rescueStages({ openedAt: alert!.openedAt, state: alert!.state }, audit, calls);
    const { id, liftId, line, externalId, receivedAt, callerName, callerPhone, rescueCode, note } = call;
    return { id, liftId, line, externalId, receivedAt, callerName, callerPhone, rescueCode, note, alertId, alertState: alert!.state, stages, checks: rescueChecks(stages, deps.limits, now()) };
  }

  const notLater = (at: number, what: string) => {
    if (at > now() + AHEAD_MS) throw lwError('LW_ERR_REQUEST_INVALID', `${what} ${new Date(at).toISOString()} is later than now (${new Date(now()).toISOString()}): give the time it happened, or leave it out for now`);
  };

  /** Stores a call and attaches it to the lift's entrapment (opening one when there is none); the same call sent again is found, not added. */
  /**
   * The lift a call is about: its id, else the lift holding the registration code, else the one whose
   * usage sign carries the rescue code the caller read out (GB/T 24476-2023 names both on the sign).
   */
  async function liftOf(input: RescueCallInput): Promise<string> {
    let liftId = input.liftId;
    if (liftId === undefined && input.registrationCode !== undefined) {
      liftId = (await state.liftRegistry.byRegistrationCode([input.registrationCode])).get(input.registrationCode);
      if (liftId === undefined) throw lwError('LW_ERR_NOT_FOUND', `no lift in the registry has registration code ${input.registrationCode}: check the code, or send the lift's liftId`);
    }
    if (liftId === undefined && input.rescueCode !== undefined) {
      const lifts = await state.liftRegistry.byRescueCode(input.rescueCode);
      if (lifts.length === 0) throw lwError('LW_ERR_NOT_FOUND', `no lift in the registry has rescue code ${input.rescueCode}: check the code the caller read out, or send the lift's liftId`);
      if (lifts.length > 1) throw lwError('LW_ERR_CONFLICT', `rescue code ${input.rescueCode} is on ${lifts.length} lifts (${lifts.slice(0, 5).join(', ')}): send the liftId or registrationCode, and correct the registry`);
      liftId = lifts[0]!;
    }
    if (liftId === undefined) throw lwError('LW_ERR_REQUEST_INVALID', 'a rescue call names its lift: send liftId, registrationCode or rescueCode');
    if (!(await state.lifts.get(liftId)) && !(await state.liftRegistry.get(liftId))) {
      throw lwError('LW_ERR_NOT_FOUND', `lift ${liftId} is not known here (no terminal, no registry entry): check the id the caller's rescue code gives`);
    }
    return liftId;
  }

  async function receive(input: RescueCallInput, actor: string): Promise<{ call: RescueCallView; created: boolean }> {
    const liftId = await liftOf(input);
    const receivedAt = input.receivedAt ?? now();
    notLater(receivedAt, 'the call\'s receivedAt');
    const { call, created } = await state.rescueCalls.add({
      line: input.line, externalId: input.externalId ?? null, liftId, receivedAt,
      callerName: input.callerName ?? null, callerPhone: input.callerPhone ?? null, rescueCode: input.rescueCode ?? null, note: input.note,
    }, now(), actor);
    if (call.alertId !== null) return { call: await view(call), created };
    const said = input.note ? `: ${input.note}` : '';
    const { alert } = await deps.alerting.raise({
      liftId: call.liftId, code: ENTRAPMENT_CODE, passengersPresent: true,
      reason: `${call.line} call${call.externalId ? ` ${call.externalId}` : ''}: passengers trapped, reported by the caller${said}`,
      // seq −id: a rescue-line call, never one of a terminal's sequence numbers (which are ≥ 0).
      evidence: { liftId: call.liftId, stream: 'rescueCall', seq: -call.id, ts: receivedAt, values: { line: call.line, externalId: call.externalId, rescueCode: call.rescueCode, note: call.note } },
    });
    await state.rescueCalls.attach(call.id, alert!.id);
    await state.alerts.audit(alert!.id, { at: now(), action: 'rescueCall', actor, note: `${call.line} call ${call.externalId ?? call.id} received at ${new Date(receivedAt).toISOString()}${said}` });
    return { call: await view({ ...call, alertId: alert!.id }), created };
  }

  async function getCall(id: number): Promise<RescueCallRecord> {
    const call = await state.rescueCalls.get(id);
    if (!call?.alertId) throw lwError('LW_ERR_NOT_FOUND', `rescue call ${id} does not exist`);
    return call;
  }

  /** Records a stage of the rescue for a call, and moves the entrapment alert on when it is behind. */
  async function stage(id: number, input: RescueStageInput, actor: string): Promise<RescueCallView> {
    const call = await getCall(id);
    const alert = (await state.alerts.get(call.alertId!))!;
    const at = input.at ?? now();
    notLater(at, `the ${input.stage} time`);
    const alarmAt = Math.min(alert.openedAt, call.receivedAt);
    if (at < alarmAt) throw lwError('LW_ERR_REQUEST_INVALID', `rescue call ${id}: ${input.stage} at ${new Date(at).toISOString()} is before the alarm at ${new Date(alarmAt).toISOString()}: give the time it happened`);
    const updated = await state.rescueCalls.setStage(id, input.stage, at);
    const note = `${input.stage} at ${new Date(at).toISOString()} (${call.line} call ${call.externalId ?? call.id})${input.note ? `: ${input.note}` : ''}`;
    await state.alerts.audit(alert.id, { at: now(), action: 'rescueStage', actor, note });
    const target = ALERT_STATE[input.stage];
    if (RANK[alert.state] < RANK[target]) {
      try {
        await deps.alerting.transition(alert.id, target, actor, note);
      } catch (err) {
        // Another request moved it on meanwhile: the stage is recorded all the same.
        if ((err as { code?: string }).code !== 'LW_ERR_REQUEST_INVALID') throw err;
      }
    }
    return view(updated);
  }

  return {
    receive, stage, liftOf,
    get: async (id: number): Promise<RescueCallView> => view(await getCall(id)),
    /** Calls received in [from, to), newest first, of one lift or all (attached ones only). */
    async list(filter: { liftId?: string; from?: number; to?: number; limit: number }): Promise<RescueCallView[]> {
      const calls = (await state.rescueCalls.list(filter)).filter((c) => c.alertId !== null);
      return Promise.all(calls.map(view));
    },
  };
}
export type RescueLine = ReturnType<typeof createRescueLine>;
