import type { Detection } from '../detect/detector.js';
import type { Message, Pipeline, RecordStep } from './message.js';

/**
 * The record's detections go to alerting (`AlertSink`) before the record is stored, in order per
 * lift (alert-actions.ts). An alert store that answers later holds the message's acknowledgement
 * until its action is done: a node that dies before leaves the record with the terminal, which sends
 * it again, and the next node raises again.
 */
export const raise: RecordStep = (_r, m, p) => {
  if (m.detections.length > 0) act(p, m.detections, m);
  return true;
};

/** Runs the detections' alert actions (also those of the timers: housekeeping.ts); those not done yet go to `m.alarms`. */
export function act(p: Pipeline, detections: readonly Detection[], m?: Message): void {
  for (const d of detections) {
    const done = d.action === 'raise'
      ? p.alertActions.run(d.evidence.liftId, `raise of ${d.code} on ${d.evidence.liftId}`, () => p.alerts.raise({ ...d, liftId: d.evidence.liftId }), (v) => countRaised(p, v))
      : p.alertActions.run(d.liftId, `${d.code} cleared on ${d.liftId}`, () => p.alerts.conditionCleared(d.liftId, d.code, d.note));
    if (done && m) (m.alarms ??= []).push(done);
  }
}

const countRaised = (p: Pipeline, answer: unknown): void => {
  if ((answer as { created?: boolean } | undefined)?.created) p.stats.alertsRaised++;
};
