import type Database from 'better-sqlite3';
import type { LiftTable } from '../lift-table.js';
import type { RecordStep } from './message.js';

/**
 * A status that shows a new service mode tells alerting (`onServiceMode`: inspection starts a
 * maintenance visit, leaving it ends the visit the terminal started). Not an alarm: the
 * acknowledgement does not wait for it.
 *
 * A lift's first status on this node tells alerting too (another node, or this one before a
 * restart, may have started a visit), unless `p.modesKnown`: a single node knows every lift whose
 * terminal may have one going on (knownModes, at start), so a first status in another mode than
 * inspection has nothing to end, and a city of first sights asks the store nothing.
 */
export const noteServiceMode: RecordStep = (r, m, p) => {
  const lift = m.lift!;
  if (r.stream !== 'status' || lift.mode === r.record.serviceMode) return true;
  const { liftId, serviceMode } = r.record;
  const first = lift.mode === undefined;
  lift.mode = serviceMode;
  if (first && p.modesKnown && serviceMode !== 'inspection') return true;
  const onMode = p.onServiceMode;
  if (onMode) p.alertActions.run(liftId, `service mode ${serviceMode} of ${liftId}`, () => onMode(liftId, serviceMode));
  return true;
};

/**
 * The lifts whose latest stored status was in inspection: their terminal may have started a
 * maintenance visit that a status in another mode ends. Their state takes that mode at start.
 */
export function knownModes(db: Database.Database, lifts: LiftTable): void {
  for (const liftId of liftsInInspection(db)) lifts.of(liftId).mode = 'inspection';
}

/** The lifts whose latest status stored in ingest's SQLite was in inspection. */
export function liftsInInspection(db: Database.Database): string[] {
  return db.prepare<[], string>(`SELECT lift_id FROM lifts WHERE status_json ->> '$.serviceMode' = 'inspection'`).pluck().all();
}
