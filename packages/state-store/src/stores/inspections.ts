import type { Selectable } from 'kysely';
import { InspectionWrite, lwError, type InspectionRecord } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { LiftInspectionsTable } from '../tables.js';
import { checkLiftId, parse } from '../check.js';

const CHUNK = 500;
const toRecord = (r: Selectable<LiftInspectionsTable>): InspectionRecord => ({
  id: Number(r.id), liftId: r.lift_id, inspectedOn: r.inspected_on, result: r.result as InspectionRecord['result'], nextDue: r.next_due,
  inspector: r.inspector, reportNo: r.report_no, note: r.note, recordedAt: Number(r.recorded_at), recordedBy: r.recorded_by,
});

/** Periodic inspections of lifts (TSG T7001), one per lift and date: recording one again corrects it. */
export function createInspections({ db, write }: StateDb) {
  /** The newest inspection of each lift (by date), optionally only of these lifts. */
  async function latest(liftIds?: readonly string[]): Promise<Map<string, InspectionRecord>> {
    const out = new Map<string, InspectionRecord>();
    const read = async (ids?: readonly string[]) => {
      let q = db.selectFrom('lift_inspections as i').selectAll('i')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('lift_inspections as n').select('n.id').whereRef('n.lift_id', '=', 'i.lift_id').whereRef('n.inspected_on', '>', 'i.inspected_on'))));
      if (ids) q = q.where('i.lift_id', 'in', ids);
      for (const r of await q.execute()) out.set(r.lift_id, toRecord(r));
    };
    if (!liftIds) await read();
    else for (let i = 0; i < liftIds.length; i += CHUNK) await read(liftIds.slice(i, i + CHUNK));
    return out;
  }
  return {
    /** Records inspections (all or none); one of a lift and date already recorded is replaced. */
    async record(entries: ReadonlyArray<{ liftId: string } & InspectionWrite>, actor: string, now = Date.now()): Promise<void> {
      const rows = entries.map(({ liftId, ...rest }) => {
        checkLiftId(liftId);
        const w = parse(InspectionWrite, rest, `inspection of ${liftId}`);
        if (w.nextDue <= w.inspectedOn) throw lwError('LW_ERR_REQUEST_INVALID', `inspection of ${liftId} on ${w.inspectedOn}: next due ${w.nextDue} is not after it: give the date the report sets for the next inspection`);
        return { lift_id: liftId, inspected_on: w.inspectedOn, result: w.result, next_due: w.nextDue, inspector: w.inspector ?? null, report_no: w.reportNo ?? null, note: w.note ?? '', recorded_at: now, recorded_by: actor };
      });
      await write(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto('lift_inspections').values(rows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.columns(['lift_id', 'inspected_on']).doUpdateSet((eb) => ({
              result: eb.ref('excluded.result'), next_due: eb.ref('excluded.next_due'), inspector: eb.ref('excluded.inspector'), report_no: eb.ref('excluded.report_no'),
              note: eb.ref('excluded.note'), recorded_at: eb.ref('excluded.recorded_at'), recorded_by: eb.ref('excluded.recorded_by'),
            })))
            .execute();
        }
      });
    },
    /** A lift's inspections, the newest first. */
    ofLift: async (liftId: string): Promise<InspectionRecord[]> =>
      (await db.selectFrom('lift_inspections').selectAll().where('lift_id', '=', liftId).orderBy('inspected_on', 'desc').execute()).map(toRecord),
    latest,
    /** Lifts whose newest inspection sets a next inspection before `date` (YYYY-MM-DD), the most overdue first. */
    async dueBefore(date: string): Promise<InspectionRecord[]> {
      return [...(await latest()).values()].filter((r) => r.nextDue < date).sort((a, b) => a.nextDue.localeCompare(b.nextDue) || a.liftId.localeCompare(b.liftId));
    },
  };
}
