import { sql, type Insertable, type Selectable } from 'kysely';
import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { LiftsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';

export interface LiftRecord {
  liftId: string; firstSeenAt: number; lastSeenAt: number; recordsTotal: number; presence: 'online' | 'offline' | 'unknown';
  status: Record<string, unknown> | null; registry: Record<string, unknown> | null;
}
const toLift = (r: Selectable<LiftsTable>): LiftRecord => ({
  liftId: r.lift_id, firstSeenAt: r.first_seen_rx, lastSeenAt: r.last_seen_rx, recordsTotal: Number(r.records_total), presence: r.presence,
  status: r.status_json ? JSON.parse(r.status_json) as Record<string, unknown> : null, registry: r.registry_json ? JSON.parse(r.registry_json) as Record<string, unknown> : null,
});

/**
 * Lifts as the platform knows them: registry profile (the terminal's `registry` record or an import),
 * latest status and presence. The newest registry and status win, whichever node writes last.
 */
export function createLifts({ db, dialect }: StateDb) {
  const areaOf = dialect === 'postgres' ? sql<string>`(registry_json::jsonb ->> 'areaCode')` : sql<string>`json_extract(registry_json, '$.areaCode')`;
  const newer = (col: 'registry_ts' | 'status_ts', ts: number) => sql<boolean>`(lifts.${sql.ref(col)} IS NULL OR lifts.${sql.ref(col)} <= ${ts})`;

  async function put(liftId: string, rx: number, kind: 'registry' | 'status', record: Record<string, unknown>, ts: number): Promise<void> {
    checkLiftId(liftId);
    checkTime(ts, `${kind} of ${liftId}: ts`);
    checkTime(rx, `${kind} of ${liftId}: rx`);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw lwError('LW_ERR_REQUEST_INVALID', `${kind} of ${liftId} is ${JSON.stringify(record)}: give a JSON object`);
    const body = JSON.stringify(record);
    const json = kind === 'registry' ? 'registry_json' : 'status_json';
    const tsCol = kind === 'registry' ? 'registry_ts' : 'status_ts';
    const values: Insertable<LiftsTable> = { lift_id: liftId, first_seen_rx: rx, last_seen_rx: rx, records_total: 1, presence: 'unknown' };
    if (kind === 'registry') Object.assign(values, { registry_json: body, registry_ts: ts });
    else Object.assign(values, { status_json: body, status_ts: ts });
    await db.insertInto('lifts').values(values)
      .onConflict((oc) => oc.column('lift_id').doUpdateSet({
        last_seen_rx: sql`CASE WHEN lifts.last_seen_rx < ${rx} THEN ${rx} ELSE lifts.last_seen_rx END`,
        records_total: sql`lifts.records_total + 1`,
        [json]: sql`CASE WHEN ${newer(tsCol, ts)} THEN ${body} ELSE lifts.${sql.ref(json)} END`,
        [tsCol]: sql`CASE WHEN ${newer(tsCol, ts)} THEN ${ts} ELSE lifts.${sql.ref(tsCol)} END`,
      })).execute();
  }

  return {
    /** A lift's registry profile; an older one than stored is ignored. */
    putRegistry: (liftId: string, registry: Record<string, unknown>, ts: number, rx = Date.now()) => put(liftId, rx, 'registry', registry, ts),
    /** A lift's latest status snapshot; an older one than stored is ignored. */
    putStatus: (liftId: string, status: Record<string, unknown>, ts: number, rx = Date.now()) => put(liftId, rx, 'status', status, ts),
    async setPresence(liftId: string, state: 'online' | 'offline', rx: number): Promise<void> {
      checkLiftId(liftId);
      await db.insertInto('lifts').values({ lift_id: liftId, first_seen_rx: rx, last_seen_rx: rx, records_total: 0, presence: state, presence_rx: rx })
        .onConflict((oc) => oc.column('lift_id').doUpdateSet({ presence: state, presence_rx: rx })).execute();
    },
    async get(liftId: string): Promise<LiftRecord | undefined> {
      const r = await db.selectFrom('lifts').selectAll().where('lift_id', '=', liftId).executeTakeFirst();
      return r ? toLift(r) : undefined;
    },
    list: async (opts: { limit: number; offset: number }): Promise<LiftRecord[]> =>
      (await db.selectFrom('lifts').selectAll().orderBy('lift_id').limit(opts.limit).offset(opts.offset).execute()).map(toLift),
    count: async (): Promise<number> => Number((await db.selectFrom('lifts').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    /** Lift ids whose registry gives this GB/T 2260 area code (a district). */
    inArea: async (areaCode: string): Promise<string[]> =>
      (await db.selectFrom('lifts').select('lift_id').where(areaOf, '=', areaCode).orderBy('lift_id').execute()).map((r) => r.lift_id),
  };
}
