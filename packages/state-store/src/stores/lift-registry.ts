import { sql, type Kysely, type Selectable } from 'kysely';
import { LIFT_PROFILE_FIELDS, LiftProfileWrite, lwError, type LiftProfile, type LiftProfileField } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { LiftRegistryTable, StateTables } from '../tables.js';
import { checkLiftId, parse } from '../check.js';
import { fastOr, prepared } from '../prepared.js';

/** A lift's entry in the platform's registry: set by admins, never by the lift's terminal. */
export type LiftRegistryRecord = LiftProfile;
/** A write: the fields given are set (null clears one), the others are kept. */
export type LiftRegistryWrite = { liftId: string } & LiftProfileWrite;

/** Rows of one statement: about 15 parameters a row stays below both dialects' limits. */
const CHUNK = 500;
const AREA = /^[0-9]{6}$/;
/** Profile fields kept in lift_registry, by column; the units are the lift's crew assignment (crew_lifts). */
const COLUMNS: Readonly<Partial<Record<LiftProfileField, keyof LiftRegistryTable>>> = {
  registrationCode: 'registration_code', name: 'name', rescueCode: 'rescue_code', address: 'address', latitude: 'latitude', longitude: 'longitude',
  areaCode: 'area_code', type: 'lift_type', ratedSpeedMps: 'rated_speed_mps', ratedLoadKg: 'rated_load_kg', floors: 'floors', installDate: 'install_date',
};

type Row = Selectable<LiftRegistryTable> & { maintenance_unit: string | null; use_unit: string | null };
const num = (v: number | null) => (v === null ? null : Number(v));
const toProfile = (r: Row): LiftProfile => ({
  liftId: r.lift_id, registrationCode: r.registration_code, name: r.name, rescueCode: r.rescue_code, useUnit: r.use_unit, maintenanceUnit: r.maintenance_unit,
  address: r.address, latitude: num(r.latitude), longitude: num(r.longitude), areaCode: r.area_code, type: r.lift_type as LiftProfile['type'],
  ratedSpeedMps: num(r.rated_speed_mps), ratedLoadKg: num(r.rated_load_kg), floors: num(r.floors), installDate: r.install_date,
  updatedAt: Number(r.updated_at), updatedBy: r.updated_by,
});

/**
 * The platform's lift registry (master data admins keep, docs/lift-registry.md): each lift's
 * profile, whose GB/T 2260 area code decides which district's regulators see it, and whose
 * maintenance and use units are the lift's crew assignment (the `crew_lifts` row, written in the
 * same transaction). What a terminal reports about itself stays in `lifts.registry_json`.
 */
export function createLiftRegistry({ db, write, sqlite }: StateDb) {
  const select = (q: Kysely<StateTables>) => q.selectFrom('lift_registry').leftJoin('crew_lifts', 'crew_lifts.lift_id', 'lift_registry.lift_id')
    .selectAll('lift_registry').select(['crew_lifts.maintenance_unit', 'crew_lifts.use_unit']);
  const one = (q: Kysely<StateTables>, v: { liftId: string }) => select(q).where('lift_registry.lift_id', '=', v.liftId);
  const hot = sqlite ? { sqlite, one: prepared<{ liftId: string }, Row>(sqlite, (s) => one(db, s)) } : undefined;
  const many = async (liftIds: readonly string[]): Promise<LiftProfile[]> => {
    const out: LiftProfile[] = [];
    for (let i = 0; i < liftIds.length; i += CHUNK) {
      out.push(...(await select(db).where('lift_registry.lift_id', 'in', liftIds.slice(i, i + CHUNK)).orderBy('lift_registry.lift_id').execute()).map(toProfile));
    }
    return out;
  };

  /** Refuses entries the store cannot take (the caller checks formats first; this is the last line). */
  async function check(entries: readonly LiftRegistryWrite[]): Promise<void> {
    const seen = new Set<string>();
    for (const e of entries) {
      checkLiftId(e.liftId);
      if (seen.has(e.liftId)) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId} is twice in the list: give each lift once`);
      seen.add(e.liftId);
      if (e.areaCode != null && !AREA.test(e.areaCode)) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: area code ${JSON.stringify(e.areaCode)} is not a GB/T 2260 code: give six digits, e.g. "330106", or null`);
      const { liftId: _id, ...fields } = e;
      parse(LiftProfileWrite, fields, `lift ${e.liftId}`);
      if (e.maintenanceUnit === null) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: the maintenance unit cannot be emptied: give the unit that takes the lift over`);
    }
    await checkCodes(entries);
    const units = entries.filter((e) => e.maintenanceUnit !== undefined || e.useUnit !== undefined);
    if (units.length === 0) return;
    const kinds = new Map((await db.selectFrom('crew_orgs').select(['id', 'kind']).execute()).map((o) => [o.id, o.kind]));
    const assigned = new Set<string>();
    for (let i = 0; i < units.length; i += CHUNK) {
      const ids = units.slice(i, i + CHUNK).filter((e) => e.maintenanceUnit === undefined).map((e) => e.liftId);
      if (ids.length > 0) for (const r of await db.selectFrom('crew_lifts').select('lift_id').where('lift_id', 'in', ids).execute()) assigned.add(r.lift_id);
    }
    for (const e of units) {
      if (e.maintenanceUnit && kinds.get(e.maintenanceUnit) !== 'maintenanceUnit') throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: ${JSON.stringify(e.maintenanceUnit)} is not a maintenance unit: create it with PUT /api/organisations/${e.maintenanceUnit} and kind "maintenanceUnit"`);
      if (e.useUnit && kinds.get(e.useUnit) !== 'useUnit') throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: ${JSON.stringify(e.useUnit)} is not a use unit: create it with PUT /api/organisations/${e.useUnit} and kind "useUnit"`);
      if (e.maintenanceUnit === undefined && !assigned.has(e.liftId)) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: a use unit needs the lift's maintenance unit: give maintenanceUnit too`);
    }
  }

  /** One lift per registration code, in the list and against the registry. */
  async function checkCodes(entries: readonly LiftRegistryWrite[]): Promise<void> {
    const holder = new Map<string, string>();
    for (const e of entries) {
      if (!e.registrationCode) continue;
      const other = holder.get(e.registrationCode);
      if (other) throw lwError('LW_ERR_CONFLICT', `registration code ${e.registrationCode} is given to lifts ${other} and ${e.liftId}: a code belongs to one lift`);
      holder.set(e.registrationCode, e.liftId);
    }
    for (const [code, liftId] of await byRegistrationCode([...holder.keys()])) {
      const incoming = holder.get(code)!;
      const moves = entries.find((e) => e.liftId === liftId && e.registrationCode !== undefined && e.registrationCode !== code);
      if (liftId !== incoming && !moves) throw lwError('LW_ERR_CONFLICT', `registration code ${code} of lift ${incoming} is already lift ${liftId}'s: a code belongs to one lift; correct one of them`);
    }
  }

  async function byRegistrationCode(codes: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < codes.length; i += CHUNK) {
      const rows = await db.selectFrom('lift_registry').select(['lift_id', 'registration_code']).where('registration_code', 'in', codes.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.set(r.registration_code!, r.lift_id);
    }
    return out;
  }

  /** Writes one group of entries that set the same fields. */
  async function writeGroup(trx: Kysely<StateTables>, group: readonly LiftRegistryWrite[], fields: readonly LiftProfileField[], actor: string, now: number) {
    const cols = fields.flatMap((f) => COLUMNS[f] ?? []);
    for (let i = 0; i < group.length; i += CHUNK) {
      const slice = group.slice(i, i + CHUNK);
      const rows = slice.map((e) => ({ lift_id: e.liftId, updated_at: now, updated_by: actor, ...Object.fromEntries(fields.flatMap((f) => (COLUMNS[f] ? [[COLUMNS[f], e[f]]] : []))) }));
      await trx.insertInto('lift_registry').values(rows as never)
        .onConflict((oc) => oc.column('lift_id').doUpdateSet((eb) => Object.fromEntries(['updated_at', 'updated_by', ...cols].map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never))
        .execute();
      const withUnit = slice.filter((e) => e.maintenanceUnit);
      if (withUnit.length > 0) {
        const useGiven = fields.includes('useUnit');
        await trx.insertInto('crew_lifts').values(withUnit.map((e) => ({ lift_id: e.liftId, maintenance_unit: e.maintenanceUnit!, use_unit: e.useUnit ?? null, district: null })))
          .onConflict((oc) => oc.column('lift_id').doUpdateSet((eb) => ({ maintenance_unit: eb.ref('excluded.maintenance_unit'), ...(useGiven ? { use_unit: eb.ref('excluded.use_unit') } : {}) })))
          .execute();
      }
      for (const e of slice) if (!e.maintenanceUnit && e.useUnit !== undefined) await trx.updateTable('crew_lifts').set({ use_unit: e.useUnit }).where('lift_id', '=', e.liftId).execute();
    }
  }

  return {
    // Prepared on SQLite: every notification reads the lift's name and address here.
    get: (liftId: string): Promise<LiftProfile | undefined> => fastOr(hot, (h) => {
      const r = h.one.first({ liftId });
      return r ? toProfile(r) : undefined;
    }, async () => {
      const r = await one(db, { liftId }).executeTakeFirst();
      return r ? toProfile(r) : undefined;
    }),
    getMany: many,
    /**
     * Sets the entries of many lifts in one transaction (all or none): each entry's given fields,
     * its maintenance and use unit as the lift's crew assignment. Returns the entries as stored.
     */
    async put(entries: readonly LiftRegistryWrite[], actor: string, now = Date.now()): Promise<LiftProfile[]> {
      await check(entries);
      const groups = new Map<string, { fields: LiftProfileField[]; list: LiftRegistryWrite[] }>();
      for (const e of entries) {
        const fields = LIFT_PROFILE_FIELDS.filter((f) => e[f] !== undefined);
        const key = fields.join(',');
        const g = groups.get(key) ?? { fields, list: [] };
        g.list.push(e);
        groups.set(key, g);
      }
      await write(async (trx) => {
        for (const g of groups.values()) await writeGroup(trx, g.list, g.fields, actor, now);
      });
      return many(entries.map((e) => e.liftId));
    },
    /**
     * Entries in lift id order, a page at a time (all when no limit); with `search`, those whose lift
     * id, registration code, name or address holds it (letters in any case).
     */
    list: async (page: { limit?: number; offset?: number; areaCode?: string; search?: string } = {}): Promise<LiftProfile[]> => {
      let q = select(db).orderBy('lift_registry.lift_id');
      if (page.areaCode !== undefined) q = q.where('lift_registry.area_code', '=', page.areaCode);
      if (page.search) {
        const like = `%${page.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) => eb.or((['lift_id', 'registration_code', 'name', 'address'] as const)
          .map((c) => eb(sql`lower(${sql.ref(`lift_registry.${c}`)})`, 'like', sql<string>`${like} escape '\\'`))));
      }
      if (page.limit !== undefined) q = q.limit(page.limit).offset(page.offset ?? 0);
      return (await q.execute()).map(toProfile);
    },
    count: async (): Promise<number> => Number((await db.selectFrom('lift_registry').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    /** Lift ids the registry puts in this GB/T 2260 area. */
    inArea: async (areaCode: string): Promise<string[]> =>
      (await db.selectFrom('lift_registry').select('lift_id').where('area_code', '=', areaCode).orderBy('lift_id').execute()).map((r) => r.lift_id),
    /** Which lift holds each of these registration codes (those held by none are absent). */
    byRegistrationCode,
    /** Lifts whose usage sign carries this rescue code (a caller of the rescue line quotes it). */
    byRescueCode: async (rescueCode: string): Promise<string[]> =>
      (await db.selectFrom('lift_registry').select('lift_id').where('rescue_code', '=', rescueCode).orderBy('lift_id').execute()).map((r) => r.lift_id),
  };
}
