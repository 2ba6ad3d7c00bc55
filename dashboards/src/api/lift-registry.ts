import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LiftProfile, LiftProfileWrite, LiftRegistryView, lwError, registrationCodeProblem, type LiftSummary } from '@liftwatch/contract';
import type { DashboardDeps, LiftRegistryPort, LiftRegistryWrite } from '../deps.js';
import { entryProblems } from '../registry/check-entry.js';

const LiftId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const Bulk = Type.Object({
  entries: Type.Array(Type.Composite([Type.Object({ liftId: LiftId }), LiftProfileWrite], { additionalProperties: false }), { minItems: 1, maxItems: 10_000 }),
}, { additionalProperties: false, description: 'Many lifts at once: all or none; in each, the fields given are set (null clears one), the others kept' });

/** The fields the terminal reports that the registry also holds, compared for `differs`. */
const COMPARED = ['areaCode', 'registrationCode', 'name', 'address', 'type', 'ratedSpeedMps', 'ratedLoadKg'] as const;

export interface RegistryRouteOptions {
  deps: DashboardDeps;
  registry: LiftRegistryPort;
  /** Another region's registration code pattern; undefined: the Chinese 20-digit structure. */
  registrationCodePattern: RegExp | undefined;
}

/** The registry entry of a lift beside what its terminal reports, and its newest inspection. */
export async function registryView(deps: DashboardDeps, registry: LiftRegistryPort, liftId: string, lift?: LiftSummary): Promise<LiftRegistryView> {
  const entry = (await registry.get(liftId)) ?? null;
  const r = (lift ?? (await deps.lifts.get(liftId)))?.registry ?? null;
  const reported = {
    areaCode: r?.areaCode ?? null, registrationCode: r?.registrationCode ?? null, name: r?.name ?? null, address: r?.address ?? null,
    type: r?.type ?? null, ratedSpeedMps: r?.ratedSpeedMps ?? null, ratedLoadKg: r?.ratedLoadKg ?? null,
  };
  // A terminal's "mrl" (machine-room-less) is a traction lift in the registry's terms.
  const same = (f: typeof COMPARED[number]) => (f === 'type' && reported.type === 'mrl' ? entry?.type === 'traction' : entry?.[f] === reported[f]);
  const differs = entry && r ? COMPARED.filter((f) => reported[f] !== null && entry[f] !== null && !same(f)) : [];
  const lastInspection = (await registry.inspections.latest([liftId])).get(liftId) ?? null;
  return { liftId, registry: entry, reported, differs, lastInspection };
}

/**
 * The platform's lift registry (master data admins keep, docs/lift-registry.md): a lift's profile
 * — registration code, units, address and coordinates, area code, type, rated speed and load,
 * floors, install date. Its area code decides which district's regulators see the lift, its units
 * which crews. A terminal's own `registry` record is shown beside it as "reported", never used:
 * a terminal cannot move itself into another district or rename itself.
 */
export const liftRegistryRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { deps, registry, registrationCodePattern }) => {
  /** Checks writes beyond their schema; the first problem is the 400. */
  const checked = async (entries: readonly LiftRegistryWrite[]) => {
    const orgs = new Map((await deps.crews?.listOrgs() ?? []).map((o) => [o.id, o]));
    const current = new Map((await registry.getMany(entries.map((e) => e.liftId))).map((p) => [p.liftId, p]));
    for (const e of entries) {
      const [p] = entryProblems(e, { registrationCodePattern, orgs }, current.get(e.liftId));
      if (p) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    }
    return entries;
  };

  app.get('/api/lift-registry', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }), offset: Type.Integer({ minimum: 0, default: 0 }),
        search: Type.Optional(Type.String({ maxLength: 100, description: 'Only entries whose lift id, registration code, name or address holds this (letters in any case)' })),
      }),
      response: { 200: Type.Object({ entries: Type.Array(LiftProfile, { description: 'Entries you may see, in lift id order' }) }) },
    },
  }, async (req) => {
    const { canSee, user } = req.lw!;
    const { limit, offset, search } = req.query;
    const page = await registry.list({ limit, offset, ...(search?.trim() ? { search: search.trim() } : {}) });
    return { entries: user.role === 'admin' ? page : page.filter((p) => canSee(p.liftId, p.areaCode)) };
  });

  /** What the console's form says as an admin types a registration code (the same check a write makes). */
  app.get('/api/lift-registry/registration-code-check', {
    config: { access: 'admin', scope: 'none' },
    schema: {
      querystring: Type.Object({ code: Type.String({ maxLength: 64 }), liftId: Type.Optional(LiftId) }),
      response: { 200: Type.Object({ problem: Type.Union([Type.String(), Type.Null()], { description: 'What is wrong with the code (its format, or another lift holds it); null: none' }) }) },
    },
  }, async (req) => {
    const { code, liftId } = req.query;
    const wrong = registrationCodeProblem(code, registrationCodePattern);
    if (wrong) return { problem: wrong };
    const holder = (await registry.byRegistrationCode([code])).get(code);
    return { problem: holder && holder !== liftId ? `registration code ${code} is already lift ${holder}'s: check the code on the usage sign` : null };
  });

  app.get('/api/lift-registry/:liftId', { config: { access: 'read', scope: 'lift' }, schema: { params: Type.Object({ liftId: LiftId }), response: { 200: LiftRegistryView } } },
    async (req) => registryView(deps, registry, req.params.liftId));

  app.put('/api/lift-registry/:liftId', {
    config: { access: 'admin', scope: 'lift' },
    schema: { params: Type.Object({ liftId: LiftId }), body: Type.Composite([LiftProfileWrite], { additionalProperties: false, description: 'The fields given are set (null clears one), the others kept' }), response: { 200: LiftRegistryView } },
  }, async (req) => {
    await registry.put(await checked([{ ...req.body, liftId: req.params.liftId }]), req.lw!.user.id);
    return registryView(deps, registry, req.params.liftId);
  });

  app.post('/api/lift-registry', { config: { access: 'admin', scope: 'none' }, schema: { body: Bulk, response: { 200: Type.Object({ updated: Type.Integer() }) } } },
    async (req) => ({ updated: (await registry.put(await checked(req.body.entries), req.lw!.user.id)).length }));
};
