import { createHash } from 'node:crypto';
import { DEFAULT_ITEM_SETS, lwError, nextDueAt, overdueDays, type MaintenancePlan, type PhotoMeta, type WorkOrder } from '@liftwatch/contract';
import type { MaintenancePort } from '../src/deps.js';

/** Plans, work orders and photos in memory, with the state store's rules: one work order per alert, moves only from the states named. */
export function fakeMaintenance(now: () => number = Date.now): MaintenancePort & { readonly files: Map<number, Buffer> } {
  const plans = new Map<string, MaintenancePlan>();
  const orders = new Map<number, WorkOrder>();
  const files = new Map<number, Buffer>();
  let photoIds = 0;
  const lastCompleted = (liftId: string) => {
    const out: Partial<Record<string, number>> = {};
    for (const o of orders.values()) {
      if (o.liftId === liftId && o.kind === 'maintenance' && o.state === 'completed' && o.class && o.endedAt !== null) out[o.class] = Math.max(out[o.class] ?? 0, o.endedAt);
    }
    return out;
  };
  return {
    files,
    itemSets: DEFAULT_ITEM_SETS,
    async putPlans(list, actor) {
      const done = list.map((p) => ({ ...p, updatedAt: now(), updatedBy: actor }));
      for (const p of done) plans.set(p.liftId, p);
      return done;
    },
    plan: (liftId) => plans.get(liftId),
    lastCompleted,
    overdue(at) {
      return [...plans.values()].map((p) => {
        const last = Math.max(0, ...Object.values(lastCompleted(p.liftId)).map(Number)) || null;
        const dueAt = nextDueAt(p, last);
        return { liftId: p.liftId, dueAt, lastCompletedAt: last, overdueDays: overdueDays(dueAt, at) };
      }).filter((o) => o.dueAt < at).sort((a, b) => a.dueAt - b.dueAt);
    },
    async createWorkOrder(input) {
      const existing = input.alertId === null ? undefined : [...orders.values()].find((o) => o.alertId === input.alertId);
      if (existing) return { order: existing, created: false };
      const order: WorkOrder = {
        id: orders.size + 1, liftId: input.liftId, kind: input.kind, class: input.class, alertId: input.alertId, state: 'open', dueAt: input.dueAt, assignee: input.assignee,
        createdAt: input.createdAt, createdBy: input.createdBy, startedAt: null, endedAt: null, visitId: null, checklist: input.checklist, finding: null,
        signedBy: null, signedAt: null, note: input.note ?? '', photos: [],
      };
      orders.set(order.id, order);
      return { order: structuredClone(order), created: true };
    },
    workOrder: (id) => structuredClone(orders.get(id)),
    workOrders: ({ liftId, state, alertId, limit }) => [...orders.values()]
      .filter((o) => (liftId === undefined || o.liftId === liftId) && (alertId === undefined || o.alertId === alertId)
        && (state === undefined || (state === 'active' ? o.state === 'open' || o.state === 'inProgress' : o.state === state)))
      .sort((a, b) => b.dueAt - a.dueAt || b.id - a.id).slice(0, limit).map((o) => structuredClone(o)),
    async updateWorkOrder(id, from, change) {
      const o = orders.get(id);
      if (!o || !from.includes(o.state)) return undefined;
      Object.assign(o, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
      return structuredClone(o);
    },
    async addPhoto({ workOrderId, itemId, contentType, bytes, uploadedBy }) {
      const o = orders.get(workOrderId);
      if (!o) throw lwError('LW_ERR_NOT_FOUND', `work order ${workOrderId} does not exist`);
      const meta: PhotoMeta = { id: ++photoIds, workOrderId, itemId, contentType, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), uploadedAt: now(), uploadedBy };
      files.set(meta.id, Buffer.from(bytes));
      o.photos.push(meta);
      return meta;
    },
    async photo(workOrderId, photoId) {
      const meta = orders.get(workOrderId)?.photos.find((p) => p.id === photoId);
      return meta ? { meta, bytes: files.get(photoId)! } : undefined;
    },
  };
}
