import {
  EXCHANGE_SCHEMA, faultCode, RESCUE_STATE_CODES,
  type ExchangeFault, type ExchangeLift, type ExchangeMaintenance, type ExchangeMessage, type ExchangeRescue, type ExchangeType,
} from '@liftwatch/contract';
import type { AlertAuditLine, OutboxWrite, RegistryLine, RescueCallRecord, VisitLine } from '@liftwatch/state-store';
import { rescueChecks, rescueStages, type RescueLimits } from './stages.js';

/** The code of an entrapment: its alert becomes `rescue` messages; other event codes become `fault` messages. */
export const ENTRAPMENT_CODE = 'E01';
/** Audit actions that change what the platform knows of a rescue. */
const RESCUE_ACTIONS = new Set(['opened', 'acknowledged', 'onSite', 'resolved', 'falseAlarm', 'rescueCall', 'rescueStage']);
const FAULT_STATES: Readonly<Record<string, ExchangeFault['state']>> = { opened: 'occurred', resolved: 'cleared', falseAlarm: 'falseAlarm' };

/** The idempotency key of each message: the same source line always gives the same key. */
export const exchangeKeys = {
  fault: (alertId: number, auditId: number) => `fault.${alertId}.${auditId}`,
  rescue: (alertId: number, auditId: number) => `rescue.${alertId}.${auditId}`,
  lift: (liftId: string, updatedAt: number) => `lift.${liftId}.${updatedAt}`,
  visit: (visitId: number) => `maintenance.visit.${visitId}`,
};

/** What kind of message an audit line makes, with its key; undefined: none (a note, an escalation, a P3 prediction…). */
export function auditMessageKind(line: Pick<AlertAuditLine, 'code' | 'action' | 'alertId' | 'auditId'>): { type: 'fault' | 'rescue'; key: string } | undefined {
  if (line.code === ENTRAPMENT_CODE) return RESCUE_ACTIONS.has(line.action) ? { type: 'rescue', key: exchangeKeys.rescue(line.alertId, line.auditId) } : undefined;
  if (faultCode(line.code)?.kind !== 'event' || !(line.action in FAULT_STATES)) return undefined;
  return { type: 'fault', key: exchangeKeys.fault(line.alertId, line.auditId) };
}

export function faultMessage(line: AlertAuditLine): OutboxWrite {
  const code = faultCode(line.code);
  const state = FAULT_STATES[line.action]!;
  const data: ExchangeFault = {
    alertId: line.alertId, liftId: line.liftId, code: line.code, gbCode2017: code?.gbCodes2017[0] ?? null, govCode15: code?.govCodes15[0] ?? null,
    nameZh: code?.nameZh ?? line.code, severity: line.severity, state, openedAt: line.openedAt, closedAt: state === 'occurred' ? null : line.at, reason: line.reason.slice(0, 1000),
  };
  return { idempotencyKey: exchangeKeys.fault(line.alertId, line.auditId), type: 'fault', subject: line.liftId, version: line.auditId, occurredAt: line.at, payload: data };
}

/** The whole rescue as it stands at `now`, for the audit line that changed it. */
export function rescueMessage(line: AlertAuditLine, audit: ReadonlyArray<{ action: string; at: number }>, calls: readonly RescueCallRecord[], limits: RescueLimits, now: number): OutboxWrite {
  const stages = rescueStages({ openedAt: line.openedAt, state: line.state }, audit, calls);
  const arrival = rescueChecks(stages, { arrivalMin: limits.arrivalMin, targetsMin: null }, now)[0]!;
  const firstCall = Math.min(...calls.map((c) => c.receivedAt));
  const stateCode = stages.falseAlarm ? RESCUE_STATE_CODES.falseAlarm : stages.releasedAt !== null ? RESCUE_STATE_CODES.completed
    : stages.onSiteAt !== null ? RESCUE_STATE_CODES.arrived : stages.dispatchedAt !== null ? RESCUE_STATE_CODES.responded : RESCUE_STATE_CODES.occurred;
  const data: ExchangeRescue = {
    alertId: line.alertId, liftId: line.liftId, stateCode, source: calls.length > 0 && firstCall <= line.openedAt ? 'rescueLine' : 'terminal',
    calls: calls.map((c) => ({ callId: c.id, line: c.line, externalId: c.externalId, receivedAt: c.receivedAt })),
    ...stages, arrivalLimitMin: limits.arrivalMin, arrivalMin: arrival.minutes, arrivedInTime: arrival.met,
  };
  return { idempotencyKey: exchangeKeys.rescue(line.alertId, line.auditId), type: 'rescue', subject: line.liftId, version: line.auditId, occurredAt: line.at, payload: data };
}

/** A lift's registry entry; `first`: no lift message about it was sent before (UPLOAD, else UPDATE). Names of organisations where known. */
export function liftMessage(entry: RegistryLine, first: boolean, orgName: (id: string | null) => string | null): OutboxWrite {
  const data: ExchangeLift = {
    liftId: entry.liftId, optype: first ? 'UPLOAD' : 'UPDATE', registrationCode: entry.registrationCode, areaCode: entry.areaCode,
    useUnit: orgName(entry.useUnit), maintenanceUnit: orgName(entry.maintenanceUnit),
    address: entry.address, latitude: entry.latitude, longitude: entry.longitude, liftType: entry.liftType,
    ratedSpeedMps: entry.ratedSpeedMps, ratedLoadKg: entry.ratedLoadKg, floors: entry.floors, installedOn: entry.installDate,
  };
  return { idempotencyKey: exchangeKeys.lift(entry.liftId, entry.updatedAt), type: 'lift', subject: entry.liftId, version: entry.updatedAt, occurredAt: entry.updatedAt, payload: data };
}

export function visitMessage(visit: VisitLine, endedAt: number): OutboxWrite {
  const data: ExchangeMaintenance = {
    recordId: `visit-${visit.id}`, liftId: visit.liftId, kind: 'visit', technician: visit.technician, source: visit.source, startedAt: visit.startedAt, endedAt, period: null,
  };
  return { idempotencyKey: exchangeKeys.visit(visit.id), type: 'maintenance', subject: visit.liftId, version: endedAt, occurredAt: endedAt, payload: data };
}

/** Formats by time zone, made once each: making one costs more than a whole notification's text. */
const formats = new Map<string, Intl.DateTimeFormat>();
function localFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  return f;
}

/** `ms` as yyyy-MM-dd HH:mm:ss in `timeZone` (the form regional platforms use). */
export function localTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(localFormat(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The body POSTed for an outbox message. */
export function envelopeOf(m: { id: number; idempotencyKey: string; type: string; subject: string; version: number; occurredAt: number; payload: Record<string, unknown> }, timeZone: string): ExchangeMessage {
  return {
    schema: EXCHANGE_SCHEMA, type: m.type as ExchangeType, id: m.id, idempotencyKey: m.idempotencyKey, subject: m.subject, version: m.version,
    occurredAt: m.occurredAt, occurredAtLocal: localTime(m.occurredAt, timeZone), timeZone, data: m.payload,
  } as ExchangeMessage;
}
