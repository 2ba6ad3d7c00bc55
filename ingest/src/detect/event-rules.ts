import { faultCode, type AlarmRecord, type FaultRecord, type TripRecord } from '@liftwatch/contract';
import { evidenceOf, type DetectorConfig, type Detection } from './detection.js';

/** A fault raised by the controller, a terminal rule or a model opens an alert for its code; P4 codes are information only. */
export function faultRules(f: FaultRecord): Detection[] {
  const code = faultCode(f.code);
  if (!code) return [];
  if (f.state === 'cleared') return [{ action: 'clear', liftId: f.liftId, code: f.code, note: `fault seq ${f.seq}: ${f.detector} reported ${f.code} cleared` }];
  if (code.severity === 'P4') return [];
  const at = f.floor === undefined ? '' : ` at floor ${f.floor}`;
  return [{
    action: 'raise', code: f.code, passengersPresent: f.passengersPresent,
    reason: `${code.nameEn} (${code.nameZh}) reported by the ${f.detector}${at}${f.detail ? `: ${f.detail}` : ''}`,
    reasonKey: 'fault.reported', reasonParams: { code: f.code, nameZh: code.nameZh, nameEn: code.nameEn, detector: f.detector, floor: f.floor, detail: f.detail },
    evidence: evidenceOf(f.liftId, 'fault', f, { code: f.code, detector: f.detector, floor: f.floor, detail: f.detail, passengersPresent: f.passengersPresent, speedMps: f.speedMps, doorState: f.doorState }),
  }];
}

const ALARM_WORDS: Record<AlarmRecord['kind'], string> = {
  button: 'Alarm button pressed in the car',
  intercom: 'Emergency intercom call from the car',
  autoEntrapment: 'Terminal detected an entrapment',
  pit: 'Alarm from the pit',
  carRoof: 'Alarm from the car roof',
};

/** A raised remote alarm (EN 81-28) means a person may be trapped: E01 (EN 627 item 11). */
export function alarmRules(a: AlarmRecord): Detection[] {
  if (a.state === 'ended' || a.state === 'falseAlarm') {
    return [{ action: 'clear', liftId: a.liftId, code: 'E01', note: `alarm seq ${a.seq}: ${a.kind} ${a.state}` }];
  }
  if (a.state !== 'raised') return [];
  return [{
    action: 'raise', code: 'E01', passengersPresent: a.passengersPresent ?? true,
    reason: `${ALARM_WORDS[a.kind]}${a.floor === undefined ? '' : ` at floor ${a.floor}`}`,
    reasonKey: 'alarm.raised', reasonParams: { kind: a.kind, floor: a.floor },
    evidence: evidenceOf(a.liftId, 'alarm', a, { kind: a.kind, state: a.state, floor: a.floor, passengersPresent: a.passengersPresent }),
  }];
}

/** Creep after the brake dropped is unintended car movement (E02, domain D05 → P1). */
export function tripRules(cfg: DetectorConfig, t: TripRecord): Detection[] {
  if (t.creepAfterStopMm === undefined || t.creepAfterStopMm <= cfg.creepAlertMm) return [];
  return [{
    action: 'raise', code: 'E02',
    reason: `Unintended car movement: the car crept ${t.creepAfterStopMm} mm after stopping at floor ${t.toFloor} (rule: more than ${cfg.creepAlertMm} mm); brake drop ${t.brakeDropMs ?? '?'} ms`,
    reasonKey: 'trip.creep', reasonParams: { creepMm: t.creepAfterStopMm, floor: t.toFloor, limitMm: cfg.creepAlertMm, brakeDropMs: t.brakeDropMs },
    evidence: evidenceOf(t.liftId, 'trip', t, { creepAfterStopMm: t.creepAfterStopMm, toFloor: t.toFloor, brakeDropMs: t.brakeDropMs, stopErrMm: t.stopErrMm }),
  }];
}
