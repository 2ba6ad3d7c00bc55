import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InspectionRecord, InspectionWrite } from '@liftwatch/contract';
import type { LiftRegistryPort } from '../deps.js';

const LiftParam = Type.Object({ liftId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }) });
/** Today's date where the platform runs its districts (China Standard Time, UTC+8), as inspection reports write dates. */
const today = (now = Date.now()) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Periodic inspections of lifts (TSG T7001) as their reports give them: date, result, next due.
 * Admins record them (one per lift and date: recorded again, corrected); everyone who sees a lift
 * reads them; the lifts whose next inspection is past due are listed.
 */
export const inspectionRoutes: FastifyPluginAsyncTypebox<{ registry: LiftRegistryPort }> = async (app, { registry }) => {
  app.get('/api/lift-registry/:liftId/inspections', { config: { access: 'read', scope: 'lift' }, schema: { params: LiftParam, response: { 200: Type.Object({ inspections: Type.Array(InspectionRecord, { description: 'The newest first' }) }) } } },
    async (req) => ({ inspections: await registry.inspections.ofLift(req.params.liftId) }));

  app.post('/api/lift-registry/:liftId/inspections', { config: { access: 'admin', scope: 'lift' }, schema: { params: LiftParam, body: InspectionWrite, response: { 200: Type.Object({ inspections: Type.Array(InspectionRecord) }) } } }, async (req) => {
    await registry.inspections.record([{ ...req.body, liftId: req.params.liftId }], req.lw!.user.id);
    return { inspections: await registry.inspections.ofLift(req.params.liftId) };
  });

  app.get('/api/inspections/overdue', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ before: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Due before this date (YYYY-MM-DD); default today in China Standard Time' })) }),
      response: { 200: Type.Object({ before: Type.String(), count: Type.Integer(), lifts: Type.Array(InspectionRecord, { description: 'The newest inspection of each lift whose next one is past due, the most overdue first' }) }) },
    },
  }, async (req) => {
    const before = req.query.before ?? today();
    const { canSee, user } = req.lw!;
    const due = await registry.inspections.dueBefore(before);
    const lifts = user.role === 'admin' ? due : due.filter((r) => canSee(r.liftId));
    return { before, count: lifts.length, lifts };
  });
};
