import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LiftRegistryEntry } from '@liftwatch/contract';
import type { DashboardDeps, LiftRegistryPort } from '../deps.js';

const LiftId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const AreaCode = Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()], { description: 'GB/T 2260 area code (six digits), or null for none' });
const Entry = Type.Object({ areaCode: AreaCode }, { additionalProperties: false });
/** What the platform says (set by admins, decides scope) beside what the lift's terminal says (shown only). */
const View = Type.Object({
  liftId: Type.String(),
  registry: Type.Union([LiftRegistryEntry, Type.Null()], { description: 'Set by admins: decides which district\'s regulators see the lift' }),
  reported: Type.Object({ areaCode: Type.Union([Type.String(), Type.Null()]) }, { description: 'What the lift\'s terminal reported in its registry record: shown, never used for access' }),
});

/**
 * The platform's lift registry (admins): the area code of a lift, which decides which district's
 * regulators see it and its alerts. A terminal's own `registry` record is kept and shown as
 * "reported", never used for access: a terminal cannot move itself into another district.
 */
export const liftRegistryRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; registry: LiftRegistryPort }> = async (app, { deps, registry }) => {
  const view = async (liftId: string) => {
    const entry = await registry.get(liftId);
    const reported = (await deps.lifts.get(liftId))?.registry?.areaCode ?? null;
    return { liftId, registry: entry ? { areaCode: entry.areaCode, updatedAt: entry.updatedAt, updatedBy: entry.updatedBy } : null, reported: { areaCode: reported } };
  };

  app.get('/api/lift-registry/:liftId', { config: { access: 'read' }, schema: { params: Type.Object({ liftId: LiftId }), response: { 200: View } } },
    async (req) => view(req.params.liftId));

  app.put('/api/lift-registry/:liftId', { config: { access: 'admin' }, schema: { params: Type.Object({ liftId: LiftId }), body: Entry, response: { 200: View } } }, async (req) => {
    await registry.put([{ liftId: req.params.liftId, areaCode: req.body.areaCode }], req.lw!.user.id);
    return view(req.params.liftId);
  });

  app.post('/api/lift-registry', {
    config: { access: 'admin' },
    schema: {
      body: Type.Object({ entries: Type.Array(Type.Object({ liftId: LiftId, areaCode: AreaCode }, { additionalProperties: false }), { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false, description: 'Many lifts at once (an import): all or none' }),
      response: { 200: Type.Object({ updated: Type.Integer() }) },
    },
  }, async (req) => ({ updated: (await registry.put(req.body.entries, req.lw!.user.id)).length }));
};
