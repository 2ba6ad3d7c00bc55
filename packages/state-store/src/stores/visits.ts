import type { Selectable } from 'kysely';
import { lwError, type MaintenanceVisit } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { VisitsTable } from '../tables.js';
import { checkLiftId, checkTime, isUniqueViolation } from '../check.js';

const SOURCES: readonly string[] = ['terminal', 'checkIn'];
const toVisit = (r: Selectable<VisitsTable>): MaintenanceVisit => ({
  id: Number(r.id), liftId: r.lift_id, technician: r.technician, source: r.source as MaintenanceVisit['source'], startedAt: r.started_at, endsBy: r.ends_by,
  endedAt: r.ended_at, endReason: r.end_reason, suppressed: Number(r.suppressed),
});

/** Maintenance visits: at most one going on per lift, also when two nodes start one at once. */
export function createVisits({ db }: StateDb) {
  /** The visit going on now on a lift; one past its time limit is ended first. */
  async function active(liftId: string, now: number): Promise<MaintenanceVisit | undefined> {
    const r = await db.selectFrom('maintenance_visits').selectAll().where('lift_id', '=', liftId).where('ended_at', 'is', null).executeTakeFirst();
    if (!r) return undefined;
    if (r.ends_by <= now) {
      await db.updateTable('maintenance_visits').set({ ended_at: r.ends_by, end_reason: `time limit of ${Math.round((r.ends_by - r.started_at) / 60_000)} min reached` })
        .where('id', '=', r.id).where('ended_at', 'is', null).execute();
      return undefined;
    }
    return toVisit(r);
  }

  /** Starts a visit, or returns the one going on (whoever started it). */
  async function start(input: { liftId: string; technician: string; source: MaintenanceVisit['source']; at: number; endsBy: number }): Promise<MaintenanceVisit> {
    checkLiftId(input.liftId);
    checkTime(input.at, 'visit start');
    if (!SOURCES.includes(input.source)) throw lwError('LW_ERR_REQUEST_INVALID', `visit on ${input.liftId}: source ${JSON.stringify(input.source)} is not one of ${SOURCES.join(', ')}`);
    if (input.endsBy <= input.at) throw lwError('LW_ERR_REQUEST_INVALID', `visit on ${input.liftId} would end at ${input.endsBy}, not after its start ${input.at}: give a time limit above 0`);
    const current = await active(input.liftId, input.at);
    if (current) return current;
    try {
      const r = await db.insertInto('maintenance_visits')
        .values({ lift_id: input.liftId, technician: input.technician, source: input.source, started_at: input.at, ends_by: input.endsBy })
        .returningAll().executeTakeFirstOrThrow();
      return toVisit(r);
    } catch (err) {
      // Another node started one between our read and our insert: that one is the visit.
      const other = isUniqueViolation(err) ? await active(input.liftId, input.at) : undefined;
      if (!other) throw err;
      return other;
    }
  }

  async function stop(liftId: string, reason: string, at: number): Promise<MaintenanceVisit | undefined> {
    const current = await active(liftId, at);
    if (!current) return undefined;
    const r = await db.updateTable('maintenance_visits').set({ ended_at: at, end_reason: reason }).where('id', '=', current.id).where('ended_at', 'is', null)
      .returningAll().executeTakeFirst();
    return r ? toVisit(r) : undefined;
  }

  return {
    active, start, stop,
    countSuppressed: async (visitId: number) => { await db.updateTable('maintenance_visits').set((e) => ({ suppressed: e('suppressed', '+', 1) })).where('id', '=', visitId).execute(); },
    /** Visits started at or after `since`, oldest first (the health score's maintenance part follows them). */
    async startedSince(since: number, limit: number): Promise<MaintenanceVisit[]> {
      return (await db.selectFrom('maintenance_visits').selectAll().where('started_at', '>=', since).orderBy('started_at').limit(limit).execute()).map(toVisit);
    },
    /** Visits with an id above `afterId`, in id order (a reader that follows new visits polls with the last id it saw). */
    async after(afterId: number, limit: number): Promise<MaintenanceVisit[]> {
      return (await db.selectFrom('maintenance_visits').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute()).map(toVisit);
    },
    async list(liftId: string | undefined, limit = 100): Promise<MaintenanceVisit[]> {
      let q = db.selectFrom('maintenance_visits').selectAll().orderBy('id', 'desc').limit(limit);
      if (liftId) q = q.where('lift_id', '=', liftId);
      return (await q.execute()).map(toVisit);
    },
  };
}
