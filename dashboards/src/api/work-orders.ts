import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChecklistResult, lwError, MaintenanceClass, WorkOrder, WorkOrderFinding, WorkOrderState } from '@liftwatch/contract';
import type { DashboardDeps, MaintenancePort } from '../deps.js';
import { workOrderFlow } from '../maintenance/work-order-flow.js';
import { actorOf } from './alerts.js';

const OrderParam = Type.Object({ workOrderId: Type.Integer({ minimum: 1 }) });
const Technician = Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Ignored except for admins: the technician is the logged-in user' }));
const Items = Type.Array(Type.Object({ itemId: Type.String({ minLength: 1, maxLength: 32 }), result: Type.Union([ChecklistResult, Type.Null()]), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), { maxItems: 500 });

/**
 * Work orders (docs/maintenance.md): a maintenance visit of the lift's plan with its checklist, or
 * the repair an alert calls for; started by the technician's check-in, signed off at the check-out,
 * with photos. Crews act on the work orders of their unit's lifts; managers and admins make them.
 */
export const workOrderRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; maintenance: MaintenancePort }> = async (app, { deps, maintenance }) => {
  const flow = workOrderFlow(deps, maintenance);
  /** The work order, if the user may see its lift (else 404, as if it did not exist). */
  const visible = async (req: { lw: { canSee: (liftId: string) => boolean; user: { role: string } } | null }, id: number) => {
    const order = await flow.orderOf(id);
    if (req.lw!.user.role !== 'admin' && !req.lw!.canSee(order.liftId)) throw lwError('LW_ERR_NOT_FOUND', `work order ${id} does not exist or is not in your scope`);
    return order;
  };

  app.get('/api/work-orders', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ liftId: Type.Optional(Type.String({ maxLength: 64 })), state: Type.Optional(Type.Union([Type.Literal('active'), WorkOrderState])), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
      response: { 200: Type.Object({ workOrders: Type.Array(WorkOrder, { description: 'The latest due first' }) }) },
    },
  }, async (req) => {
    const { canSee, user } = req.lw!;
    const { liftId, state, limit } = req.query;
    const list = await maintenance.workOrders({ ...(liftId ? { liftId } : {}), ...(state ? { state } : {}), limit: user.role === 'admin' ? limit : 1000 });
    return { workOrders: (user.role === 'admin' ? list : list.filter((o) => canSee(o.liftId))).slice(0, limit) };
  });

  app.post('/api/work-orders', {
    config: { access: 'manage', scope: 'list' },
    schema: {
      body: Type.Object({
        liftId: Type.String({ minLength: 1, maxLength: 64 }),
        class: Type.Optional(MaintenanceClass), dueAt: Type.Optional(Type.Integer({ minimum: 0 })),
        assignee: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])), note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false, description: 'A maintenance visit of the lift\'s plan; the class due and its checklist unless class is given' }),
      response: { 200: WorkOrder },
    },
  }, async (req) => {
    const { canSee, user } = req.lw!;
    if (user.role !== 'admin' && !canSee(req.body.liftId)) throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(req.body.liftId)} does not exist or is not in your scope`);
    return flow.planned(req.body, user.id);
  });

  app.post('/api/alerts/:id/work-order', {
    config: { access: 'act', scope: 'alert' },
    schema: {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ assignee: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ workOrder: WorkOrder, created: Type.Boolean({ description: 'false: the alert had its work order already, which is returned' }) }) },
    },
  }, async (req) => {
    const { order, created } = await flow.fromAlert(req.params.id, req.body, req.lw!.user.id);
    return { workOrder: order, created };
  });

  app.get('/api/work-orders/:workOrderId', { config: { access: 'read', scope: 'list' }, schema: { params: OrderParam, response: { 200: WorkOrder } } },
    async (req) => visible(req, req.params.workOrderId));

  app.post('/api/work-orders/:workOrderId/start', { config: { access: 'act', scope: 'list' }, schema: { params: OrderParam, body: Type.Object({ technician: Technician }, { additionalProperties: false }), response: { 200: WorkOrder } } }, async (req) => {
    await visible(req, req.params.workOrderId);
    return flow.start(req.params.workOrderId, actorOf(req.lw!.user, req.body.technician));
  });

  app.put('/api/work-orders/:workOrderId/checklist', { config: { access: 'act', scope: 'list' }, schema: { params: OrderParam, body: Type.Object({ items: Items }, { additionalProperties: false }), response: { 200: WorkOrder } } }, async (req) => {
    await visible(req, req.params.workOrderId);
    return flow.saveChecklist(req.params.workOrderId, req.body.items);
  });

  app.post('/api/work-orders/:workOrderId/complete', {
    config: { access: 'act', scope: 'list' },
    schema: {
      params: OrderParam,
      body: Type.Object({ technician: Technician, items: Type.Optional(Items), finding: Type.Optional(WorkOrderFinding), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false, description: 'Sign-off by the technician, and the check-out' }),
      response: { 200: WorkOrder },
    },
  }, async (req) => {
    await visible(req, req.params.workOrderId);
    return flow.complete(req.params.workOrderId, { ...req.body, technician: actorOf(req.lw!.user, req.body.technician) });
  });

  app.post('/api/work-orders/:workOrderId/cancel', { config: { access: 'manage', scope: 'list' }, schema: { params: OrderParam, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: WorkOrder } } }, async (req) => {
    await visible(req, req.params.workOrderId);
    return flow.cancel(req.params.workOrderId, req.body.reason);
  });
};
