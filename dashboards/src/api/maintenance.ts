import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChecklistItem, classDue, itemSetOf, lwError, MaintenanceClass, MaintenancePlan, MaintenancePlanWrite, nextDueAt, OverdueLift, type ItemSetId } from '@liftwatch/contract';
import type { DashboardDeps, LiftRegistryPort, MaintenancePort } from '../deps.js';

const LiftId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const PlanView = Type.Composite([MaintenancePlan, Type.Object({
  nextDueAt: Type.Integer({ description: 'When the next visit is due, ms' }),
  nextClass: MaintenanceClass,
  lastCompleted: Type.Record(Type.String(), Type.Integer(), { description: 'Class → end of its last completed work order, ms' }),
})]);

/**
 * Maintenance plans (docs/maintenance.md): per lift, when the plan starts, the cycle (15 days by the
 * regulation) and its item set; the class and checklist each visit is due; the lifts whose visit is
 * overdue by their completed work orders (the list behind the count of the regulator console).
 */
export const maintenanceRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; maintenance: MaintenancePort; registry: LiftRegistryPort | undefined }> = async (app, { maintenance, registry }) => {
  /** The item set of a lift from its type in the registry, unless the plan names one. */
  const itemSet = async (liftId: string, given?: ItemSetId) => given ?? itemSetOf((await registry?.get(liftId))?.type);
  const view = async (liftId: string) => {
    const plan = await maintenance.plan(liftId);
    if (!plan) throw lwError('LW_ERR_NOT_FOUND', `lift ${liftId} has no maintenance plan yet: set one with PUT /api/maintenance-plans/${liftId} {startsAt, cycleDays}`);
    const last = await maintenance.lastCompleted(liftId);
    const lastAny = Math.max(0, ...Object.values(last));
    return { ...plan, nextDueAt: nextDueAt(plan, lastAny || null), nextClass: classDue(plan, last, Date.now()), lastCompleted: last };
  };

  app.get('/api/maintenance/item-sets', { config: { access: 'read', scope: 'none' }, schema: { response: { 200: Type.Object({ itemSets: Type.Record(Type.String(), Type.Array(ChecklistItem)) }) } } },
    async () => ({ itemSets: maintenance.itemSets as unknown as Record<string, ChecklistItem[]> }));

  app.get('/api/maintenance-plans/:liftId', { config: { access: 'read', scope: 'lift' }, schema: { params: Type.Object({ liftId: LiftId }), response: { 200: PlanView } } },
    async (req) => view(req.params.liftId));

  app.put('/api/maintenance-plans/:liftId', { config: { access: 'manage', scope: 'lift' }, schema: { params: Type.Object({ liftId: LiftId }), body: MaintenancePlanWrite, response: { 200: PlanView } } }, async (req) => {
    const { liftId } = req.params;
    await maintenance.putPlans([{ liftId, startsAt: req.body.startsAt, cycleDays: req.body.cycleDays, itemSet: await itemSet(liftId, req.body.itemSet) }], req.lw!.user.id);
    return view(liftId);
  });

  app.post('/api/maintenance-plans', {
    config: { access: 'manage', scope: 'list' },
    schema: {
      body: Type.Object({ plans: Type.Array(Type.Composite([Type.Object({ liftId: LiftId }), MaintenancePlanWrite], { additionalProperties: false }), { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false, description: 'Plans of many lifts at once: all or none' }),
      response: { 200: Type.Object({ updated: Type.Integer() }) },
    },
  }, async (req) => {
    const { canSee, user } = req.lw!;
    const outside = user.role === 'admin' ? undefined : req.body.plans.find((p) => !canSee(p.liftId));
    if (outside) throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(outside.liftId)} does not exist or is not in your scope: nothing was written`);
    const plans = [];
    for (const p of req.body.plans) plans.push({ liftId: p.liftId, startsAt: p.startsAt, cycleDays: p.cycleDays, itemSet: await itemSet(p.liftId, p.itemSet) });
    return { updated: (await maintenance.putPlans(plans, user.id)).length };
  });

  app.get('/api/maintenance/overdue', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }) }),
      response: { 200: Type.Object({ count: Type.Integer({ description: 'Lifts overdue that you may see' }), lifts: Type.Array(OverdueLift, { description: 'The most overdue first (the first `limit`)' }) }) },
    },
  }, async (req) => {
    const { canSee, user } = req.lw!;
    const all = await maintenance.overdue(Date.now());
    const mine = user.role === 'admin' ? all : all.filter((o) => canSee(o.liftId));
    return { count: mine.length, lifts: mine.slice(0, req.query.limit) };
  });
};
