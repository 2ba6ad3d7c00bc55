import type { RecordStep } from './message.js';

/**
 * A status that shows a new service mode tells alerting (`onServiceMode`: inspection starts a
 * maintenance visit). Not an alarm: the acknowledgement does not wait for it (a lift's first status
 * on a node asks the shared store whether a visit is going on; a city of first sights must not wait
 * for that).
 */
export const noteServiceMode: RecordStep = (r, m, p) => {
  if (r.stream !== 'status' || m.lift!.mode === r.record.serviceMode) return true;
  const { liftId, serviceMode } = r.record;
  m.lift!.mode = serviceMode;
  const onMode = p.onServiceMode;
  if (onMode) p.alertActions.run(liftId, `service mode ${serviceMode} of ${liftId}`, () => onMode(liftId, serviceMode));
  return true;
};
