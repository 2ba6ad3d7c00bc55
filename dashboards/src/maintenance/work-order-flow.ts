import {
  checklistFor, classDue, lwError, nextDueAt,
  type ChecklistEntry, type ChecklistResult, type MaintenanceClass, type WorkOrder, type WorkOrderFinding,
} from '@liftwatch/contract';
import type { DashboardDeps, MaintenancePort } from '../deps.js';

export interface ChecklistInput { itemId: string; result: ChecklistResult | null; note?: string | undefined }

const ACTIVE_ALERT = new Set(['open', 'acknowledged', 'onSite']);

/** The checklist with these entries filled in; an item the checklist does not have is a 400 naming it. */
export function fillChecklist(order: WorkOrder, items: readonly ChecklistInput[]): ChecklistEntry[] {
  const byId = new Map(order.checklist.map((e) => [e.itemId, { ...e }]));
  for (const item of items) {
    const entry = byId.get(item.itemId);
    if (!entry) throw lwError('LW_ERR_REQUEST_INVALID', `work order ${order.id} has no checklist item ${JSON.stringify(item.itemId)}: its items are ${[...byId.keys()].slice(0, 12).join(', ')}${byId.size > 12 ? ', …' : ''}`);
    entry.result = item.result;
    if (item.note !== undefined) entry.note = item.note;
  }
  return [...byId.values()];
}

/** Why a work order cannot be signed off yet, or undefined. */
export function signOffProblem(order: WorkOrder, checklist: readonly ChecklistEntry[], finding: WorkOrderFinding | null): string | undefined {
  const open = checklist.filter((e) => e.result === null).map((e) => e.itemId);
  if (open.length > 0) return `work order ${order.id}: ${open.length} checklist item${open.length > 1 ? 's have' : ' has'} no result (${open.slice(0, 10).join(', ')}${open.length > 10 ? ', …' : ''}): give each a result (ok, adjusted, replaced, fault, notApplicable) before signing off`;
  const unexplained = checklist.filter((e) => e.result === 'fault' && e.note.trim() === '').map((e) => e.itemId);
  if (unexplained.length > 0) return `work order ${order.id}: item${unexplained.length > 1 ? 's' : ''} ${unexplained.join(', ')} found at fault without a note: say what is wrong and what happens next`;
  if (order.kind === 'repair' && !finding) return `work order ${order.id} is a repair: give the finding (confirmed with the component, no-fault-found or false-alarm) before signing off`;
  return undefined;
}

/**
 * A work order's life: made from the plan (class and checklist due) or from an alert; started by
 * the technician's check-in and ended by the check-out (the maintenance visit's times are the
 * order's); signed off when every item has a result. A repair's finding resolves its alert.
 */
export function workOrderFlow(deps: DashboardDeps, maintenance: MaintenancePort, now: () => number = Date.now) {
  const orderOf = async (id: number) => {
    const order = await maintenance.workOrder(id);
    if (!order) throw lwError('LW_ERR_NOT_FOUND', `work order ${id} does not exist`);
    return order;
  };
  const moved = (id: number, wanted: string) => lwError('LW_ERR_CONFLICT', `work order ${id} is no longer ${wanted} (someone moved it meanwhile): read it again`);

  return {
    orderOf,
    /** A maintenance visit of the lift's plan: the class due now (or the one asked for) and its checklist. */
    async planned(input: { liftId: string; class?: MaintenanceClass | undefined; dueAt?: number | undefined; assignee?: string | null | undefined; note?: string | undefined }, actor: string): Promise<WorkOrder> {
      const plan = await maintenance.plan(input.liftId);
      if (!plan) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${input.liftId} has no maintenance plan: set one first with PUT /api/maintenance-plans/${input.liftId} {startsAt}`);
      const [active] = (await maintenance.workOrders({ liftId: input.liftId, state: 'active', limit: 50 })).filter((o) => o.kind === 'maintenance');
      if (active) throw lwError('LW_ERR_CONFLICT', `lift ${input.liftId} has maintenance work order ${active.id} ${active.state === 'open' ? 'still open' : 'in progress'}: finish or cancel it first`);
      const last = await maintenance.lastCompleted(input.liftId);
      const at = now();
      const cls = input.class ?? classDue(plan, last, at);
      const lastAny = Math.max(0, ...Object.values(last));
      const { order } = await maintenance.createWorkOrder({
        liftId: input.liftId, kind: 'maintenance', class: cls, alertId: null, dueAt: input.dueAt ?? nextDueAt(plan, lastAny || null), assignee: input.assignee ?? null,
        checklist: checklistFor(maintenance.itemSets[plan.itemSet], cls), createdBy: actor, createdAt: at, ...(input.note === undefined ? {} : { note: input.note }),
      });
      return order;
    },
    /** The repair an alert calls for; an alert that has one gets it back. */
    async fromAlert(alertId: number, input: { assignee?: string | null | undefined; note?: string | undefined }, actor: string) {
      const alert = await deps.alerts.get(alertId);
      if (!alert) throw lwError('LW_ERR_NOT_FOUND', `alert ${alertId} does not exist`);
      const at = now();
      return maintenance.createWorkOrder({
        liftId: alert.liftId, kind: 'repair', class: null, alertId, dueAt: at, assignee: input.assignee ?? alert.assignee ?? null, checklist: [],
        createdBy: actor, createdAt: at, note: input.note ?? `${alert.code} ${alert.nameEn}: ${alert.reason}`,
      });
    },
    /** Check-in: the visit starts (or the one going on is taken), and with it the work. */
    async start(id: number, technician: string): Promise<WorkOrder> {
      const order = await orderOf(id);
      if (order.state !== 'open') throw lwError('LW_ERR_CONFLICT', `work order ${id} is ${order.state}, not open: only an open work order starts`);
      if (!deps.crews) throw lwError('LW_ERR_REQUEST_INVALID', 'check-in needs crews (alerting) on this node');
      const visit = await deps.crews.checkIn(order.liftId, technician);
      const started = await maintenance.updateWorkOrder(id, ['open'], { state: 'inProgress', startedAt: visit.startedAt, visitId: visit.id, assignee: order.assignee ?? technician });
      if (!started) throw moved(id, 'open');
      return started;
    },
    async saveChecklist(id: number, items: readonly ChecklistInput[]): Promise<WorkOrder> {
      const order = await orderOf(id);
      if (order.state !== 'open' && order.state !== 'inProgress') throw lwError('LW_ERR_CONFLICT', `work order ${id} is ${order.state}: its checklist can no longer change`);
      const saved = await maintenance.updateWorkOrder(id, ['open', 'inProgress'], { checklist: fillChecklist(order, items) });
      if (!saved) throw moved(id, 'open or in progress');
      return saved;
    },
    /** Sign-off and check-out: every item has a result, a repair has its finding; its alert is resolved with it. */
    async complete(id: number, input: { technician: string; items?: readonly ChecklistInput[] | undefined; finding?: WorkOrderFinding | undefined; note?: string | undefined }): Promise<WorkOrder> {
      const order = await orderOf(id);
      if (order.state !== 'inProgress') throw lwError('LW_ERR_CONFLICT', `work order ${id} is ${order.state}: start it with the check-in (POST /api/work-orders/${id}/start) before signing it off`);
      const checklist = fillChecklist(order, input.items ?? []);
      const finding = input.finding ?? order.finding;
      const problem = signOffProblem(order, checklist, finding);
      if (problem) throw lwError('LW_ERR_REQUEST_INVALID', problem);
      const endedAt = await checkOut(order, input.technician);
      const at = now();
      const done = await maintenance.updateWorkOrder(id, ['inProgress'], {
        state: 'completed', checklist, finding, endedAt, signedBy: input.technician, signedAt: at, ...(input.note === undefined ? {} : { note: input.note }),
      });
      if (!done) throw moved(id, 'in progress');
      if (done.alertId !== null && finding) await resolveAlert(done.alertId, finding, input.technician, id);
      return done;
    },
    async cancel(id: number, reason: string): Promise<WorkOrder> {
      const order = await orderOf(id);
      const done = await maintenance.updateWorkOrder(id, ['open', 'inProgress'], { state: 'cancelled', note: `${order.note ? `${order.note}\n` : ''}cancelled: ${reason}` });
      if (!done) throw lwError('LW_ERR_CONFLICT', `work order ${id} is ${order.state}: only an open or started work order is cancelled`);
      return done;
    },
  };

  /** The end of the order's visit: the check-out now, or when the visit ended by itself (its time limit). */
  async function checkOut(order: WorkOrder, technician: string): Promise<number> {
    if (!deps.crews) return now();
    try {
      return (await deps.crews.checkOut(order.liftId, technician)).endedAt ?? now();
    } catch (err) {
      if ((err as { code?: string }).code !== 'LW_ERR_NOT_FOUND') throw err;
      const visit = (await deps.crews.visits(order.liftId, 50)).find((v) => v.id === order.visitId);
      return visit?.endedAt ?? now();
    }
  }

  /** The finding resolves the repair's alert (a false alarm closes it as one) if it is still going on, and is recorded as the alert's finding. */
  async function resolveAlert(alertId: number, finding: WorkOrderFinding, actor: string, orderId: number): Promise<void> {
    const alert = await deps.alerts.get(alertId);
    if (!alert || !ACTIVE_ALERT.has(alert.state)) return;
    await deps.alerts.transition(alertId, finding.outcome === 'false-alarm' ? 'falseAlarm' : 'resolved', actor, `work order ${orderId} signed off${finding.note ? `: ${finding.note}` : ''}`, finding);
  }
}
