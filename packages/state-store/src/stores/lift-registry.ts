import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import { checkLiftId } from '../check.js';

/** A lift's entry in the platform's registry: set by admins, never by the lift's terminal. */
export interface LiftRegistryRecord { liftId: string; areaCode: string | null; updatedAt: number; updatedBy: string }
export interface LiftRegistryWrite { liftId: string; areaCode: string | null }

/** Rows of one statement: 4 parameters a row stays far below both dialects' limits. */
const CHUNK = 1000;
const AREA = /^[0-9]{6}$/;

const toRecord = (r: { lift_id: string; area_code: string | null; updated_at: number; updated_by: string }): LiftRegistryRecord =>
  ({ liftId: r.lift_id, areaCode: r.area_code, updatedAt: Number(r.updated_at), updatedBy: r.updated_by });

/**
 * The platform's lift registry (admins set it; a later registry adds the other profile fields):
 * the GB/T 2260 area code that decides which district's regulators see the lift. What a terminal
 * reports about itself stays in `lifts.registry_json` and is only shown.
 */
export function createLiftRegistry({ db, write }: StateDb) {
  return {
    async get(liftId: string): Promise<LiftRegistryRecord | undefined> {
      const r = await db.selectFrom('lift_registry').selectAll().where('lift_id', '=', liftId).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    /** Sets the entries of many lifts in one transaction (all or none). */
    async put(entries: readonly LiftRegistryWrite[], actor: string, now = Date.now()): Promise<LiftRegistryRecord[]> {
      for (const e of entries) {
        checkLiftId(e.liftId);
        if (e.areaCode !== null && !AREA.test(e.areaCode)) throw lwError('LW_ERR_REQUEST_INVALID', `lift ${e.liftId}: area code ${JSON.stringify(e.areaCode)} is not a GB/T 2260 code: give six digits, e.g. "330106", or null`);
      }
      await write(async (trx) => {
        for (let i = 0; i < entries.length; i += CHUNK) {
          const rows = entries.slice(i, i + CHUNK).map((e) => ({ lift_id: e.liftId, area_code: e.areaCode, updated_at: now, updated_by: actor }));
          await trx.insertInto('lift_registry').values(rows)
            .onConflict((oc) => oc.column('lift_id').doUpdateSet((eb) => ({ area_code: eb.ref('excluded.area_code'), updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by') })))
            .execute();
        }
      });
      return entries.map((e) => ({ liftId: e.liftId, areaCode: e.areaCode, updatedAt: now, updatedBy: actor }));
    },
    /** Every entry, in lift id order. */
    list: async (): Promise<LiftRegistryRecord[]> => (await db.selectFrom('lift_registry').selectAll().orderBy('lift_id').execute()).map(toRecord),
    /** Lift ids the registry puts in this GB/T 2260 area. */
    inArea: async (areaCode: string): Promise<string[]> =>
      (await db.selectFrom('lift_registry').select('lift_id').where('area_code', '=', areaCode).orderBy('lift_id').execute()).map((r) => r.lift_id),
  };
}
