import { sql, type Selectable } from 'kysely';
import {
  lwError, MAINTENANCE_CLASSES, nextDueAt, overdueDays,
  type ChecklistEntry, type ItemSetId, type MaintenanceClass, type MaintenancePlan, type OverdueLift, type PhotoMeta, type WorkOrder, type WorkOrderFinding, type WorkOrderKind, type WorkOrderState,
} from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { WorkOrderPhotosTable, WorkOrdersTable } from '../tables.js';
import { checkLiftId, checkTime, isUniqueViolation } from '../check.js';

const CHUNK = 1000;
const DAY = 86_400_000;
const SETS: readonly string[] = ['traction', 'hydraulic', 'escalator'];

export interface PlanWrite { liftId: string; startsAt: number; cycleDays: number; itemSet: ItemSetId }
export interface NewWorkOrder {
  liftId: string; kind: WorkOrderKind; class: MaintenanceClass | null; alertId: number | null; dueAt: number; assignee: string | null;
  checklist: ChecklistEntry[]; createdBy: string; createdAt: number; note?: string;
}
/** What a step of a work order's life changes. */
export interface WorkOrderChange {
  state?: WorkOrderState; assignee?: string | null; startedAt?: number; endedAt?: number; visitId?: number; checklist?: ChecklistEntry[];
  finding?: WorkOrderFinding | null; signedBy?: string; signedAt?: number; note?: string;
}
export interface PhotoWrite { workOrderId: number; itemId: string | null; fileKey: string; contentType: string; sizeBytes: number; sha256: string; uploadedAt: number; uploadedBy: string }

const toPhoto = (r: Selectable<WorkOrderPhotosTable>): PhotoMeta => ({
  id: Number(r.id), workOrderId: Number(r.work_order_id), itemId: r.item_id, contentType: r.content_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256, uploadedAt: Number(r.uploaded_at), uploadedBy: r.uploaded_by,
});
const n = (v: number | null) => (v === null ? null : Number(v));
const toOrder = (r: Selectable<WorkOrdersTable>, photos: PhotoMeta[]): WorkOrder => ({
  id: Number(r.id), liftId: r.lift_id, kind: r.kind as WorkOrderKind, class: r.class as MaintenanceClass | null, alertId: n(r.alert_id), state: r.state as WorkOrderState,
  dueAt: Number(r.due_at), assignee: r.assignee, createdAt: Number(r.created_at), createdBy: r.created_by, startedAt: n(r.started_at), endedAt: n(r.ended_at), visitId: n(r.visit_id),
  checklist: JSON.parse(r.checklist_json) as ChecklistEntry[], finding: r.finding_json ? JSON.parse(r.finding_json) as WorkOrderFinding : null,
  signedBy: r.signed_by, signedAt: n(r.signed_at), note: r.note, photos,
});

/** Maintenance plans, work orders and their photos (docs/maintenance.md). */
export function createMaintenance({ db, write }: StateDb) {
  const withPhotos = async (rows: Array<Selectable<WorkOrdersTable>>): Promise<WorkOrder[]> => {
    const photos = new Map<number, PhotoMeta[]>();
    const ids = rows.map((r) => Number(r.id));
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const p of await db.selectFrom('work_order_photos').selectAll().where('work_order_id', 'in', ids.slice(i, i + CHUNK)).orderBy('id').execute()) {
        const list = photos.get(Number(p.work_order_id)) ?? [];
        list.push(toPhoto(p));
        photos.set(Number(p.work_order_id), list);
      }
    }
    return rows.map((r) => toOrder(r, photos.get(Number(r.id)) ?? []));
  };
  const workOrder = async (id: number): Promise<WorkOrder | undefined> => {
    const r = await db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? (await withPhotos([r]))[0] : undefined;
  };
  const toPlan = (r: { lift_id: string; starts_at: number; cycle_days: number; item_set: string; updated_at: number; updated_by: string }): MaintenancePlan => ({
    liftId: r.lift_id, startsAt: Number(r.starts_at), cycleDays: Number(r.cycle_days), itemSet: r.item_set as ItemSetId, updatedAt: Number(r.updated_at), updatedBy: r.updated_by,
  });

  return {
    /** Sets the plans of many lifts (all or none). */
    async putPlans(plans: readonly PlanWrite[], actor: string, now = Date.now()): Promise<MaintenancePlan[]> {
      for (const p of plans) {
        checkLiftId(p.liftId);
        checkTime(p.startsAt, `plan of ${p.liftId}: startsAt`);
        if (!Number.isInteger(p.cycleDays) || p.cycleDays < 1) throw lwError('LW_ERR_REQUEST_INVALID', `plan of ${p.liftId}: cycleDays ${p.cycleDays} is not a whole number of days above 0`);
        if (!SETS.includes(p.itemSet)) throw lwError('LW_ERR_REQUEST_INVALID', `plan of ${p.liftId}: item set ${JSON.stringify(p.itemSet)} is not one of ${SETS.join(', ')}`);
      }
      const rows = plans.map((p) => ({ lift_id: p.liftId, starts_at: p.startsAt, cycle_days: p.cycleDays, item_set: p.itemSet, updated_at: now, updated_by: actor }));
      await write(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto('maintenance_plans').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.column('lift_id').doUpdateSet((eb) => ({
            starts_at: eb.ref('excluded.starts_at'), cycle_days: eb.ref('excluded.cycle_days'), item_set: eb.ref('excluded.item_set'), updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
          }))).execute();
        }
      });
      return rows.map(toPlan);
    },
    plan: async (liftId: string): Promise<MaintenancePlan | undefined> => {
      const r = await db.selectFrom('maintenance_plans').selectAll().where('lift_id', '=', liftId).executeTakeFirst();
      return r ? toPlan(r) : undefined;
    },
    /** When each class was last completed on a lift (end of its latest completed maintenance work order). */
    async lastCompleted(liftId: string): Promise<Partial<Record<MaintenanceClass, number>>> {
      const rows = await db.selectFrom('work_orders').select(['class', (eb) => eb.fn.max('ended_at').as('last')])
        .where('lift_id', '=', liftId).where('kind', '=', 'maintenance').where('state', '=', 'completed').groupBy('class').execute();
      return Object.fromEntries(rows.filter((r) => MAINTENANCE_CLASSES.includes(r.class as MaintenanceClass) && r.last !== null).map((r) => [r.class, Number(r.last)]));
    },
    /**
     * Lifts with a plan whose next visit is past due at `now`: due one cycle after the end of their
     * last completed maintenance work order (or the plan's start), the most overdue first.
     */
    async overdue(now: number): Promise<OverdueLift[]> {
      const rows = await db.selectFrom('maintenance_plans as p')
        .leftJoin(
          (eb) => eb.selectFrom('work_orders').select(['lift_id', (e) => e.fn.max('ended_at').as('last')])
            .where('kind', '=', 'maintenance').where('state', '=', 'completed').groupBy('lift_id').as('w'),
          (join) => join.onRef('w.lift_id', '=', 'p.lift_id'))
        .select(['p.lift_id', 'p.starts_at', 'p.cycle_days', 'w.last'])
        // Due = max(start, last) + cycle; a coarse filter in SQL (the later of the two is below now − cycle), exact below.
        .where((eb) => eb.and([eb('p.starts_at', '<', sql<number>`CAST(${now} AS BIGINT) - p.cycle_days * CAST(${DAY} AS BIGINT)`), eb.or([eb('w.last', 'is', null), eb('w.last', '<', sql<number>`CAST(${now} AS BIGINT) - p.cycle_days * CAST(${DAY} AS BIGINT)`)])]))
        .execute();
      return rows.map((r) => {
        const last = r.last === null ? null : Number(r.last);
        const dueAt = nextDueAt({ startsAt: Number(r.starts_at), cycleDays: Number(r.cycle_days) }, last);
        return { liftId: r.lift_id, dueAt, lastCompletedAt: last, overdueDays: overdueDays(dueAt, now) };
      }).filter((o) => o.dueAt < now).sort((a, b) => a.dueAt - b.dueAt || a.liftId.localeCompare(b.liftId));
    },
    /** Makes a work order; one from an alert that has one already returns that one (`created` false). */
    async createWorkOrder(input: NewWorkOrder): Promise<{ order: WorkOrder; created: boolean }> {
      checkLiftId(input.liftId);
      const existing = async () => {
        const r = input.alertId === null ? undefined : await db.selectFrom('work_orders').selectAll().where('alert_id', '=', input.alertId).executeTakeFirst();
        return r ? (await withPhotos([r]))[0] : undefined;
      };
      const before = await existing();
      if (before) return { order: before, created: false };
      try {
        const r = await db.insertInto('work_orders').values({
          lift_id: input.liftId, kind: input.kind, class: input.class, alert_id: input.alertId, state: 'open', due_at: input.dueAt, assignee: input.assignee,
          created_at: input.createdAt, created_by: input.createdBy, checklist_json: JSON.stringify(input.checklist), note: input.note ?? '',
        }).returningAll().executeTakeFirstOrThrow();
        return { order: toOrder(r, []), created: true };
      } catch (err) {
        // Another node made the alert's work order between our read and our insert: that one is it.
        const other = isUniqueViolation(err) ? await existing() : undefined;
        if (!other) throw err;
        return { order: other, created: false };
      }
    },
    workOrder,
    async workOrders(filter: { liftId?: string; state?: WorkOrderState | 'active'; alertId?: number; limit: number }): Promise<WorkOrder[]> {
      let q = db.selectFrom('work_orders').selectAll().orderBy('due_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
      if (filter.liftId !== undefined) q = q.where('lift_id', '=', filter.liftId);
      if (filter.alertId !== undefined) q = q.where('alert_id', '=', filter.alertId);
      if (filter.state === 'active') q = q.where('state', 'in', ['open', 'inProgress']);
      else if (filter.state !== undefined) q = q.where('state', '=', filter.state);
      return withPhotos(await q.execute());
    },
    /** Changes a work order that is in one of the states `from`; undefined when it is not (another node moved it, or it does not exist). */
    async updateWorkOrder(id: number, from: readonly WorkOrderState[], change: WorkOrderChange): Promise<WorkOrder | undefined> {
      const set = {
        ...(change.state === undefined ? {} : { state: change.state }), ...(change.assignee === undefined ? {} : { assignee: change.assignee }),
        ...(change.startedAt === undefined ? {} : { started_at: change.startedAt }), ...(change.endedAt === undefined ? {} : { ended_at: change.endedAt }),
        ...(change.visitId === undefined ? {} : { visit_id: change.visitId }), ...(change.checklist === undefined ? {} : { checklist_json: JSON.stringify(change.checklist) }),
        ...(change.finding === undefined ? {} : { finding_json: change.finding === null ? null : JSON.stringify(change.finding) }),
        ...(change.signedBy === undefined ? {} : { signed_by: change.signedBy }), ...(change.signedAt === undefined ? {} : { signed_at: change.signedAt }),
        ...(change.note === undefined ? {} : { note: change.note }),
      };
      const r = await db.updateTable('work_orders').set(set).where('id', '=', id).where('state', 'in', [...from]).returningAll().executeTakeFirst();
      return r ? (await withPhotos([r]))[0] : undefined;
    },
    async addPhoto(p: PhotoWrite): Promise<PhotoMeta> {
      const r = await db.insertInto('work_order_photos').values({
        work_order_id: p.workOrderId, item_id: p.itemId, file_key: p.fileKey, content_type: p.contentType, size_bytes: p.sizeBytes, sha256: p.sha256, uploaded_at: p.uploadedAt, uploaded_by: p.uploadedBy,
      }).returningAll().executeTakeFirstOrThrow();
      return toPhoto(r);
    },
    /** A photo of a work order and the key of its file. */
    async photo(workOrderId: number, photoId: number): Promise<{ meta: PhotoMeta; fileKey: string } | undefined> {
      const r = await db.selectFrom('work_order_photos').selectAll().where('id', '=', photoId).where('work_order_id', '=', workOrderId).executeTakeFirst();
      return r ? { meta: toPhoto(r), fileKey: r.file_key } : undefined;
    },
  };
}
