import { lwError, type ExchangeMessage, type RescueCallView, type RescueStage } from '@liftwatch/contract';
import type { ExchangePort, OutboxMessageView, RescueLinePort } from '../src/exchange-ports.js';
import type { FakePorts } from './fake-ports.js';

export const LINE_TOKEN = 'line-token-1';
const ALERT_STATE = { dispatched: 'acknowledged', onSite: 'onSite', released: 'resolved', falseAlarm: 'falseAlarm' } as const;
const STAGE_FIELD = { dispatched: 'dispatchedAt', onSite: 'onSiteAt', released: 'releasedAt' } as const;

/**
 * The exchange's ports in memory over fake ports: an outbox an admin reads and retries in, and a
 * rescue line whose calls raise and move the fakes' alerts. `message` puts a message in the outbox.
 */
export function withExchange(ports: FakePorts, now: () => number = Date.now) {
  const messages = new Map<number, OutboxMessageView & { body: ExchangeMessage }>();
  const exchange: ExchangePort = {
    settings: { enabled: true, host: 'gov.example:443', types: ['lift', 'fault', 'rescue', 'maintenance'], timeZone: 'Asia/Shanghai' },
    backlog: () => {
      const all = [...messages.values()];
      const pending = all.filter((m) => m.state === 'pending');
      return {
        pending: pending.length, failing: pending.filter((m) => m.attempts > 0).length, rejected: all.filter((m) => m.state === 'rejected').length,
        delivered: all.filter((m) => m.state === 'delivered').length, oldestPendingAt: pending.length ? Math.min(...pending.map((m) => m.createdAt)) : null,
        nextAttemptAt: pending.length ? Math.min(...pending.map((m) => m.nextAttemptAt)) : null, lastDeliveredAt: null,
      };
    },
    list: ({ state, subject, before, limit }) => [...messages.values()].filter((m) => (!state || m.state === state) && (!subject || m.subject === subject) && (before === undefined || m.id < before))
      .sort((a, b) => b.id - a.id).slice(0, limit).map(({ body: _b, ...v }) => v),
    get: (id) => messages.get(id),
    retry(id) {
      const m = messages.get(id);
      if (!m) throw lwError('LW_ERR_NOT_FOUND', `outbox message ${id} does not exist`);
      if (m.state === 'delivered') throw lwError('LW_ERR_REQUEST_INVALID', `outbox message ${id} was delivered: there is nothing to retry`);
      Object.assign(m, { state: 'pending', nextAttemptAt: now() });
      const { body: _b, ...v } = m;
      return v;
    },
  };

  const calls = new Map<number, RescueCallView>();
  /** Rescue codes on the lifts' usage signs, as a registry would hold them. */
  const rescueCodes = new Map([['R-LA-1', 'LA-1'], ['R-LB-1', 'LB-1']]);
  const byExternal = new Map<string, number>();
  const rescueLine: RescueLinePort = {
    liftOf(input) {
      const liftId = input.liftId ?? (input.rescueCode ? rescueCodes.get(input.rescueCode) : undefined);
      return liftId ? Promise.resolve(liftId) : Promise.reject(lwError('LW_ERR_NOT_FOUND', `no lift has rescue code ${input.rescueCode}`));
    },
    async receive(input) {
      const liftId = await rescueLine.liftOf(input);
      const known = input.externalId ? byExternal.get(`${input.line}/${input.externalId}`) : undefined;
      if (known !== undefined) return { call: calls.get(known)!, created: false };
      const alert = (await ports.deps.alerts.list({ state: 'active', liftId })).find((a) => a.code === 'E01') ?? ports.raise(liftId, 'E01');
      const at = input.receivedAt ?? now();
      const call: RescueCallView = {
        id: calls.size + 1, liftId, line: input.line, externalId: input.externalId ?? null, receivedAt: at, callerName: input.callerName ?? null,
        callerPhone: input.callerPhone ?? null, rescueCode: input.rescueCode ?? null, note: input.note, alertId: alert.id, alertState: alert.state,
        stages: { alarmAt: at, dispatchedAt: null, onSiteAt: null, releasedAt: null, falseAlarm: false }, checks: [],
      };
      calls.set(call.id, call);
      if (call.externalId) byExternal.set(`${call.line}/${call.externalId}`, call.id);
      return { call, created: true };
    },
    async stage(id, input, actor) {
      const call = await rescueLine.get(id);
      const stage: RescueStage = input.stage;
      if (stage === 'falseAlarm') call.stages.falseAlarm = true;
      else call.stages[STAGE_FIELD[stage]] = input.at ?? now();
      call.alertState = (await ports.deps.alerts.transition(call.alertId, ALERT_STATE[stage], actor)).state;
      return call;
    },
    async get(id) {
      const call = calls.get(id);
      if (!call) throw lwError('LW_ERR_NOT_FOUND', `rescue call ${id} does not exist`);
      return call;
    },
    list: async ({ liftId, limit }) => [...calls.values()].filter((c) => !liftId || c.liftId === liftId).reverse().slice(0, limit),
    acceptsToken: (token) => token === LINE_TOKEN,
  };

  return {
    ports: { ...ports, deps: { ...ports.deps, exchange, rescueLine } },
    /** Puts a message in the outbox. */
    message(over: Partial<OutboxMessageView> & { subject: string }) {
      const id = messages.size + 1;
      const view: OutboxMessageView = {
        id, idempotencyKey: `lift.${over.subject}.${id}`, type: 'lift', version: id, occurredAt: now(), createdAt: now(), state: 'pending', attempts: 0, nextAttemptAt: now(),
        lastError: null, lastStatus: null, deliveredAt: null, ...over,
      };
      const body = {
        schema: 'liftwatch.exchange/1', type: 'lift', id, idempotencyKey: view.idempotencyKey, subject: view.subject, version: id, occurredAt: view.occurredAt,
        occurredAtLocal: '2026-03-01 10:00:00', timeZone: 'Asia/Shanghai',
        data: { liftId: view.subject, optype: 'UPLOAD', registrationCode: null, areaCode: '330106', useUnit: null, maintenanceUnit: null, address: null, latitude: null, longitude: null, liftType: null, ratedSpeedMps: null, ratedLoadKg: null, floors: null, installedOn: null },
      } as ExchangeMessage;
      messages.set(id, { ...view, body });
      return view;
    },
  };
}
