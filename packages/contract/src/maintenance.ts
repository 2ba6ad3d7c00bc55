import { Type, type Static } from '@sinclair/typebox';
import { FindingInput } from './findings.js';

/**
 * Statutory maintenance (docs/maintenance.md): a plan per lift on the 15-day cycle, and work orders
 * (a maintenance visit of one class with its checklist, or a repair from an alert) with sign-off,
 * photos, and start and end from the technician's check-in and check-out.
 */

/** TSG T5002-2017's maintenance classes, cumulative: a quarterly visit also does the half-monthly items, and so on. */
export const MaintenanceClass = Type.Union([Type.Literal('halfMonthly'), Type.Literal('quarterly'), Type.Literal('halfYearly'), Type.Literal('yearly')], {
  description: 'halfMonthly (半月), quarterly (季度), halfYearly (半年), yearly (年度); each includes the items of the classes before it',
});
export type MaintenanceClass = Static<typeof MaintenanceClass>;
/** From the smallest item set to the largest. */
export const MAINTENANCE_CLASSES: readonly MaintenanceClass[] = ['halfMonthly', 'quarterly', 'halfYearly', 'yearly'];

/** The item tables of TSG T5002's annexes: traction and positive-drive lifts, hydraulic lifts, escalators and moving walks. */
export const ItemSetId = Type.Union([Type.Literal('traction'), Type.Literal('hydraulic'), Type.Literal('escalator')]);
export type ItemSetId = Static<typeof ItemSetId>;

export const ChecklistItem = Type.Object({
  id: Type.String({ description: 'Stable id, e.g. T-H03' }),
  class: MaintenanceClass,
  zh: Type.String(),
  en: Type.String(),
});
export type ChecklistItem = Static<typeof ChecklistItem>;

export const MaintenancePlanWrite = Type.Object({
  startsAt: Type.Integer({ minimum: 0, description: 'When the plan starts, ms; the first visit is due one cycle later' }),
  cycleDays: Type.Integer({ minimum: 1, maximum: 90, default: 15, description: 'Days between visits: 15 by the regulation; longer only where an on-demand maintenance programme allows it' }),
  itemSet: Type.Optional(ItemSetId),
}, { additionalProperties: false });
export type MaintenancePlanWrite = Static<typeof MaintenancePlanWrite>;

export const MaintenancePlan = Type.Object({
  liftId: Type.String(),
  startsAt: Type.Integer(),
  cycleDays: Type.Integer(),
  itemSet: ItemSetId,
  updatedAt: Type.Integer(),
  updatedBy: Type.String(),
});
export type MaintenancePlan = Static<typeof MaintenancePlan>;

export const ChecklistResult = Type.Union([Type.Literal('ok'), Type.Literal('adjusted'), Type.Literal('replaced'), Type.Literal('fault'), Type.Literal('notApplicable')], {
  description: 'ok: checked, as it should be; adjusted, replaced: put right during the visit; fault: found and not put right (say why in the note); notApplicable: the lift has no such part',
});
export type ChecklistResult = Static<typeof ChecklistResult>;

export const ChecklistEntry = Type.Object({
  itemId: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  result: Type.Union([ChecklistResult, Type.Null()], { description: 'null: not done yet' }),
  note: Type.String(),
});
export type ChecklistEntry = Static<typeof ChecklistEntry>;

/** What a crew found on a repair: the finding of the alert it came from (docs/findings.md), recorded when the alert is resolved with it. */
export const WorkOrderFinding = FindingInput;
export type WorkOrderFinding = FindingInput;

export const WorkOrderState = Type.Union([Type.Literal('open'), Type.Literal('inProgress'), Type.Literal('completed'), Type.Literal('cancelled')]);
export type WorkOrderState = Static<typeof WorkOrderState>;
export const WorkOrderKind = Type.Union([Type.Literal('maintenance'), Type.Literal('repair')], { description: 'maintenance: a visit of the plan with its checklist; repair: the work an alert calls for' });
export type WorkOrderKind = Static<typeof WorkOrderKind>;

export const PhotoMeta = Type.Object({
  id: Type.Integer(),
  workOrderId: Type.Integer(),
  itemId: Type.Union([Type.String(), Type.Null()], { description: 'The checklist item it shows; null: the work as a whole' }),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.Integer(),
  uploadedBy: Type.String(),
});
export type PhotoMeta = Static<typeof PhotoMeta>;

export const WorkOrder = Type.Object({
  id: Type.Integer(),
  liftId: Type.String(),
  kind: WorkOrderKind,
  class: Type.Union([MaintenanceClass, Type.Null()], { description: 'The maintenance class; null for a repair' }),
  alertId: Type.Union([Type.Integer(), Type.Null()], { description: 'The alert it was made from' }),
  state: WorkOrderState,
  dueAt: Type.Integer({ description: 'When the work is due, ms' }),
  assignee: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  createdBy: Type.String(),
  startedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'The technician\'s check-in' }),
  endedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'The technician\'s check-out' }),
  visitId: Type.Union([Type.Integer(), Type.Null()], { description: 'The maintenance visit of the check-in' }),
  checklist: Type.Array(ChecklistEntry),
  finding: Type.Union([WorkOrderFinding, Type.Null()]),
  signedBy: Type.Union([Type.String(), Type.Null()], { description: 'The technician who signed the work off' }),
  signedAt: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.String(),
  photos: Type.Array(PhotoMeta),
});
export type WorkOrder = Static<typeof WorkOrder>;

export const OverdueLift = Type.Object({
  liftId: Type.String(),
  dueAt: Type.Integer({ description: 'When the next visit was due: the last completed maintenance work order (or the plan\'s start) plus the cycle' }),
  lastCompletedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'End of the last completed maintenance work order; null: none since the plan started' }),
  overdueDays: Type.Number({ description: 'Days past due, one decimal' }),
});
export type OverdueLift = Static<typeof OverdueLift>;
