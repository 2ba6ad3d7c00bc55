import { EscalationPolicy, LiftAssignment, lwError, Organisation, Person, RotaShift, type Severity } from '@liftwatch/contract';
import type { Selectable } from 'kysely';
import type { StateDb } from '../open.js';
import type { CrewLiftsTable, OrgsTable, PeopleTable, RotaTable } from '../tables.js';
import { fastOr } from '../prepared.js';
import { crewQueries, hotCrewStatements } from './crew-queries.js';
import { checkLiftId, parse } from '../check.js';

const toOrg = (r: OrgsTable): Organisation => ({ id: r.id, kind: r.kind as Organisation['kind'], name: r.name, roles: JSON.parse(r.roles_json) as Record<string, string[]> });
const toPerson = (r: Selectable<PeopleTable>): Person => ({
  id: r.id, name: r.name, orgId: r.org_id, channels: JSON.parse(r.channels_json) as Person['channels'],
  severities: JSON.parse(r.severities_json) as Person['severities'], quietHours: r.quiet_json ? JSON.parse(r.quiet_json) as Person['quietHours'] : null,
  language: (r.language === 'en' ? 'en' : 'zh-CN'),
});
type Shift = RotaShift & { id: number };
const toShift = (r: { [K in keyof RotaTable]: K extends 'id' ? number : RotaTable[K] }): Shift => ({ id: r.id, unitId: r.unit_id, startsAt: r.starts_at, endsAt: r.ends_at, primary: r.primary_id, backup: r.backup_id });
const toAssignment = (r: Selectable<CrewLiftsTable>): LiftAssignment => ({ liftId: r.lift_id, maintenanceUnit: r.maintenance_unit, useUnit: r.use_unit, district: r.district });
const toPolicy = (r: { policy_json: string }) => JSON.parse(r.policy_json) as EscalationPolicy;
const maybe = <R, T>(r: R | undefined, to: (r: R) => T): T | undefined => (r === undefined ? undefined : to(r));
const SEVERITIES: readonly string[] = ['P1', 'P2', 'P3', 'P4'];

/** Organisations, people, which unit looks after each lift, rotas and escalation policies. */
export function createCrew({ db, sqlite }: StateDb) {
  // On SQLite, the reads an escalation makes per alert run prepared (crew-queries.ts).
  const hot = sqlite ? hotCrewStatements(sqlite, db) : undefined;
  const getOrg = (id: string): Promise<Organisation | undefined> => fastOr(hot, (h) => maybe(h.org.first({ id }), toOrg), async () => maybe(await crewQueries.org(db, { id }).executeTakeFirst(), toOrg));
  const getPerson = (id: string): Promise<Person | undefined> =>
    fastOr(hot, (h) => maybe(h.person.first({ id }), toPerson), async () => maybe(await crewQueries.person(db, { id }).executeTakeFirst(), toPerson));
  return {
    getOrg, getPerson,
    async upsertOrg(input: unknown): Promise<Organisation> {
      const o = parse(Organisation, input, 'organisation');
      const row = { kind: o.kind, name: o.name, roles_json: JSON.stringify(o.roles) };
      await db.insertInto('crew_orgs').values({ id: o.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      return o;
    },
    listOrgs: async () => (await db.selectFrom('crew_orgs').selectAll().orderBy('id').execute()).map(toOrg),
    async upsertPerson(input: unknown): Promise<Person> {
      const p = parse(Person, input, 'person');
      if (!(await getOrg(p.orgId))) throw lwError('LW_ERR_REQUEST_INVALID', `person ${p.id}: organisation ${JSON.stringify(p.orgId)} does not exist; create it first with PUT /api/organisations/${p.orgId}`);
      const row = { name: p.name, org_id: p.orgId, channels_json: JSON.stringify(p.channels), severities_json: JSON.stringify(p.severities), quiet_json: p.quietHours ? JSON.stringify(p.quietHours) : null, language: p.language ?? 'zh-CN' };
      await db.insertInto('crew_people').values({ id: p.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      return p;
    },
    listPeople: async () => (await db.selectFrom('crew_people').selectAll().orderBy('id').execute()).map(toPerson),
    async assignLift(input: unknown): Promise<LiftAssignment> {
      const a = parse(LiftAssignment, input, 'lift assignment');
      checkLiftId(a.liftId);
      if ((await getOrg(a.maintenanceUnit))?.kind !== 'maintenanceUnit') throw lwError('LW_ERR_REQUEST_INVALID', `lift ${a.liftId}: ${JSON.stringify(a.maintenanceUnit)} is not a maintenance unit; create it with kind "maintenanceUnit"`);
      const row = { maintenance_unit: a.maintenanceUnit, use_unit: a.useUnit, district: a.district };
      await db.insertInto('crew_lifts').values({ lift_id: a.liftId, ...row }).onConflict((oc) => oc.column('lift_id').doUpdateSet(row)).execute();
      return a;
    },
    getLift: (liftId: string): Promise<LiftAssignment | undefined> =>
      fastOr(hot, (h) => maybe(h.lift.first({ liftId }), toAssignment), async () => maybe(await crewQueries.lift(db, { liftId }).executeTakeFirst(), toAssignment)),
    /** Every lift's assignment, for a reader that caches who sees which lift. */
    listLifts: async (): Promise<LiftAssignment[]> =>
      (await db.selectFrom('crew_lifts').selectAll().orderBy('lift_id').execute()).map((r) => ({ liftId: r.lift_id, maintenanceUnit: r.maintenance_unit, useUnit: r.use_unit, district: r.district })),
    async addShift(input: unknown): Promise<Shift> {
      const s = parse(RotaShift, input, 'rota shift');
      if (s.endsAt <= s.startsAt) throw lwError('LW_ERR_REQUEST_INVALID', `rota shift ends at ${s.endsAt}, not after its start ${s.startsAt}: give endsAt > startsAt`);
      for (const id of [s.primary, s.backup]) if (!(await getPerson(id))) throw lwError('LW_ERR_REQUEST_INVALID', `rota shift: person ${JSON.stringify(id)} does not exist`);
      const r = await db.insertInto('crew_rota').values({ unit_id: s.unitId, starts_at: s.startsAt, ends_at: s.endsAt, primary_id: s.primary, backup_id: s.backup })
        .returning('id').executeTakeFirstOrThrow();
      return { ...s, id: Number(r.id) };
    },
    shifts: async (unitId: string, from: number): Promise<Shift[]> =>
      (await db.selectFrom('crew_rota').selectAll().where('unit_id', '=', unitId).where('ends_at', '>', from).orderBy('starts_at').limit(200).execute()).map(toShift),
    /** The unit's rota shift at `at` (the latest to start, of overlapping ones). */
    shiftAt: (unitId: string, at: number): Promise<Shift | undefined> =>
      fastOr(hot, (h) => maybe(h.shiftAt.first({ unitId, at }), toShift), async () => maybe(await crewQueries.shiftAt(db, { unitId, at }).executeTakeFirst(), toShift)),
    /** The escalation policy of an organisation (or `*`) for a severity. */
    async setPolicy(orgId: string, severity: Severity, input: unknown): Promise<EscalationPolicy> {
      if (!SEVERITIES.includes(severity)) throw lwError('LW_ERR_REQUEST_INVALID', `severity ${JSON.stringify(severity)} is not one of ${SEVERITIES.join(', ')}`);
      const policy = parse(EscalationPolicy, input, `escalation policy for ${orgId} ${severity}`);
      await db.insertInto('escalation_policies').values({ org_id: orgId, severity, policy_json: JSON.stringify(policy) })
        .onConflict((oc) => oc.columns(['org_id', 'severity']).doUpdateSet({ policy_json: JSON.stringify(policy) })).execute();
      return policy;
    },
    getPolicy: (orgId: string, severity: Severity): Promise<EscalationPolicy | undefined> =>
      fastOr(hot, (h) => maybe(h.policy.first({ orgId, severity }), toPolicy), async () => maybe(await crewQueries.policy(db, { orgId, severity }).executeTakeFirst(), toPolicy)),
    listPolicies: async () => (await db.selectFrom('escalation_policies').selectAll().orderBy('org_id').orderBy('severity').execute())
      .map((r) => ({ orgId: r.org_id, severity: r.severity as Severity, policy: JSON.parse(r.policy_json) as EscalationPolicy })),
  };
}
