import { sql, type Insertable, type Selectable } from 'kysely';
import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { LiftsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';
import { fastOr, prepared } from '../prepared.js';

export interface LiftRecord {
  liftId: string; firstSeenAt: number; lastSeenAt: number; recordsTotal: number; presence: 'online' | 'offline' | 'unknown';
  /** `registry` is what the lift's terminal reported about itself: shown, never used for access. */
  status: Record<string, unknown> | null; registry: Record<string, unknown> | null;
  /** The platform's registry entry, set by admins (lift_registry): what decides the lift's area; null: none. */
  registered: { areaCode: string | null; updatedAt: number; updatedBy: string; name?: string | null; address?: string | null } | null;
}
/**
 * What one ingest node learnt of a lift since its last write to the shared table (coalesced): the
 * records it stored, its newest last-seen time, and the newest status, registry and presence it saw.
 */
export interface LiftSummaryDelta {
  liftId: string; firstSeenAt: number; lastSeenAt: number; records: number;
  status?: { body: string; ts: number; seq?: number | undefined } | undefined; registry?: { body: string; ts: number } | undefined;
  presence?: { state: 'online' | 'offline'; rx: number } | undefined;
}
/** Rows of one statement: 11 parameters a row stays far below both dialects' limits (PostgreSQL 65,535; SQLite 32,766). */
const SUMMARY_CHUNK = 1000;
/** Rows of one PostgreSQL statement, as ten arrays. */
const PG_SUMMARY_CHUNK = 5000;

type RegistryColumns = { reg_area_code: string | null; reg_updated_at: number | null; reg_updated_by: string | null; reg_name: string | null; reg_address: string | null };
const toLift = (r: Selectable<LiftsTable> & RegistryColumns): LiftRecord => ({
  liftId: r.lift_id, firstSeenAt: r.first_seen_rx, lastSeenAt: r.last_seen_rx, recordsTotal: Number(r.records_total), presence: r.presence,
  status: r.status_json ? JSON.parse(r.status_json) as Record<string, unknown> : null, registry: r.registry_json ? JSON.parse(r.registry_json) as Record<string, unknown> : null,
  registered: r.reg_updated_at === null ? null : { areaCode: r.reg_area_code, updatedAt: Number(r.reg_updated_at), updatedBy: r.reg_updated_by ?? '', name: r.reg_name, address: r.reg_address },
});

/**
 * Lifts as the platform knows them: registry profile (the terminal's `registry` record or an import),
 * latest status and presence. The newest registry and status win, whichever node writes last.
 */
export function createLifts({ db, dialect, sqlite }: StateDb) {
  /** Lifts with their entry in the platform's registry, if any. */
  const lifts = () => db.selectFrom('lifts').leftJoin('lift_registry', 'lift_registry.lift_id', 'lifts.lift_id').selectAll('lifts')
    .select(['lift_registry.area_code as reg_area_code', 'lift_registry.updated_at as reg_updated_at', 'lift_registry.updated_by as reg_updated_by', 'lift_registry.name as reg_name', 'lift_registry.address as reg_address']);
  type LiftRow = Parameters<typeof toLift>[0];
  const hot = sqlite ? { sqlite, one: prepared<{ liftId: string }, LiftRow>(sqlite, (s) => lifts().where('lifts.lift_id', '=', s.liftId)) } : undefined;
  const newer = (col: 'registry_ts' | 'status_ts', ts: number, seq?: number) => (col === 'status_ts' && seq !== undefined
    // A status comes after the stored one when its seq is higher or its device time later (a clock set back, a seq started again).
    ? sql<boolean>`(lifts.status_ts IS NULL OR COALESCE(lifts.status_seq, -1) < ${seq} OR lifts.status_ts < ${ts})`
    : sql<boolean>`(lifts.${sql.ref(col)} IS NULL OR lifts.${sql.ref(col)} <= ${ts})`);

  async function put(liftId: string, rx: number, kind: 'registry' | 'status', record: Record<string, unknown>, ts: number): Promise<void> {
    checkLiftId(liftId);
    checkTime(ts, `${kind} of ${liftId}: ts`);
    checkTime(rx, `${kind} of ${liftId}: rx`);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw lwError('LW_ERR_REQUEST_INVALID', `${kind} of ${liftId} is ${JSON.stringify(record)}: give a JSON object`);
    const body = JSON.stringify(record);
    const json = kind === 'registry' ? 'registry_json' : 'status_json';
    const tsCol = kind === 'registry' ? 'registry_ts' : 'status_ts';
    const values: Insertable<LiftsTable> = { lift_id: liftId, first_seen_rx: rx, last_seen_rx: rx, records_total: 1, presence: 'unknown' };
    const seq = kind === 'status' && typeof record.seq === 'number' && Number.isSafeInteger(record.seq) ? record.seq : undefined;
    if (kind === 'registry') Object.assign(values, { registry_json: body, registry_ts: ts });
    else Object.assign(values, { status_json: body, status_ts: ts, status_seq: seq ?? null });
    await db.insertInto('lifts').values(values)
      .onConflict((oc) => oc.column('lift_id').doUpdateSet({
        last_seen_rx: sql<number>`CASE WHEN lifts.last_seen_rx < ${rx} THEN ${rx} ELSE lifts.last_seen_rx END`,
        records_total: sql`lifts.records_total + 1`,
        [json]: sql`CASE WHEN ${newer(tsCol, ts, seq)} THEN ${body} ELSE lifts.${sql.ref(json)} END`,
        [tsCol]: sql`CASE WHEN ${newer(tsCol, ts, seq)} THEN ${ts} ELSE lifts.${sql.ref(tsCol)} END`,
        ...(kind === 'status' ? { status_seq: sql`CASE WHEN ${newer(tsCol, ts, seq)} THEN ${seq ?? null} ELSE lifts.status_seq END` } : {}),
      })).execute();
  }

  /**
   * Many lifts' changes in few statements (SUMMARY_CHUNK rows each): counts add up, the newest
   * last-seen, status (by its ts), registry (by its ts) and presence (by its time) win, whichever
   * node wrote them and in whatever order, so a lift whose terminal moved to another node keeps
   * its newest values.
   */
  async function putSummaries(deltas: readonly LiftSummaryDelta[]): Promise<void> {
    for (const d of deltas) {
      checkLiftId(d.liftId);
      checkTime(d.lastSeenAt, `summary of ${d.liftId}: lastSeenAt`);
      if (!Number.isInteger(d.records) || d.records < 0) throw lwError('LW_ERR_REQUEST_INVALID', `summary of ${d.liftId}: records is ${JSON.stringify(d.records)}: give a count ≥ 0`);
    }
    const ex = (col: keyof LiftsTable) => sql`excluded.${sql.ref(col)}`;
    const newerEx = (tsCol: 'registry_ts' | 'status_ts' | 'presence_rx') => (tsCol === 'status_ts'
      // A status comes after the stored one when its seq is higher or its device time later.
      ? sql<boolean>`(${ex('status_ts')} IS NOT NULL AND (lifts.status_ts IS NULL OR COALESCE(lifts.status_seq, -1) < COALESCE(${ex('status_seq')}, -1) OR lifts.status_ts < ${ex('status_ts')}))`
      : sql<boolean>`(${ex(tsCol)} IS NOT NULL AND (lifts.${sql.ref(tsCol)} IS NULL OR lifts.${sql.ref(tsCol)} <= ${ex(tsCol)}))`);
    const pick = <T>(col: keyof LiftsTable, tsCol: 'registry_ts' | 'status_ts' | 'presence_rx') => sql<T>`CASE WHEN ${newerEx(tsCol)} THEN ${ex(col)} ELSE lifts.${sql.ref(col)} END`;
    const set = {
      first_seen_rx: sql<number>`CASE WHEN lifts.first_seen_rx > ${ex('first_seen_rx')} THEN ${ex('first_seen_rx')} ELSE lifts.first_seen_rx END`,
      last_seen_rx: sql<number>`CASE WHEN lifts.last_seen_rx < ${ex('last_seen_rx')} THEN ${ex('last_seen_rx')} ELSE lifts.last_seen_rx END`,
      records_total: sql<number>`lifts.records_total + ${ex('records_total')}`,
      // The JSON columns before their times: every SET expression reads the row as it was.
      status_json: pick<string | null>('status_json', 'status_ts'), status_ts: pick<number | null>('status_ts', 'status_ts'), status_seq: pick<number | null>('status_seq', 'status_ts'),
      registry_json: pick<string | null>('registry_json', 'registry_ts'), registry_ts: pick<number | null>('registry_ts', 'registry_ts'),
      presence: pick<LiftsTable['presence']>('presence', 'presence_rx'), presence_rx: pick<number | null>('presence_rx', 'presence_rx'),
    };
    if (dialect === 'postgres') {
      // One array a column (unnest): ten parameters a statement instead of ten a row, which
      // PostgreSQL parses and plans several times faster (bench/shared-lifts.ts).
      for (let i = 0; i < deltas.length; i += PG_SUMMARY_CHUNK) {
        const c = deltas.slice(i, i + PG_SUMMARY_CHUNK);
        const col = <T>(f: (d: LiftSummaryDelta) => T) => c.map(f);
        await db.insertInto('lifts')
          .columns(['lift_id', 'first_seen_rx', 'last_seen_rx', 'records_total', 'status_json', 'status_ts', 'registry_json', 'registry_ts', 'presence', 'presence_rx', 'status_seq'])
          .expression(sql`SELECT * FROM unnest(${col((d) => d.liftId)}::text[], ${col((d) => d.firstSeenAt)}::bigint[], ${col((d) => d.lastSeenAt)}::bigint[], ${col((d) => d.records)}::bigint[],
            ${col((d) => d.status?.body ?? null)}::text[], ${col((d) => d.status?.ts ?? null)}::bigint[], ${col((d) => d.registry?.body ?? null)}::text[], ${col((d) => d.registry?.ts ?? null)}::bigint[],
            ${col((d) => d.presence?.state ?? 'unknown')}::text[], ${col((d) => d.presence?.rx ?? null)}::bigint[], ${col((d) => d.status?.seq ?? null)}::bigint[])`)
          .onConflict((oc) => oc.column('lift_id').doUpdateSet(set)).execute();
      }
      return;
    }
    for (let i = 0; i < deltas.length; i += SUMMARY_CHUNK) {
      const rows: Array<Insertable<LiftsTable>> = deltas.slice(i, i + SUMMARY_CHUNK).map((d) => ({
        lift_id: d.liftId, first_seen_rx: d.firstSeenAt, last_seen_rx: d.lastSeenAt, records_total: d.records,
        status_json: d.status?.body ?? null, status_ts: d.status?.ts ?? null, status_seq: d.status?.seq ?? null, registry_json: d.registry?.body ?? null, registry_ts: d.registry?.ts ?? null,
        presence: d.presence?.state ?? 'unknown', presence_rx: d.presence?.rx ?? null,
      }));
      await db.insertInto('lifts').values(rows).onConflict((oc) => oc.column('lift_id').doUpdateSet(set)).execute();
    }
  }

  return {
    putSummaries,
    /** A lift's registry profile; an older one than stored is ignored. */
    putRegistry: (liftId: string, registry: Record<string, unknown>, ts: number, rx = Date.now()) => put(liftId, rx, 'registry', registry, ts),
    /** A lift's latest status snapshot; an older one than stored is ignored. */
    putStatus: (liftId: string, status: Record<string, unknown>, ts: number, rx = Date.now()) => put(liftId, rx, 'status', status, ts),
    async setPresence(liftId: string, state: 'online' | 'offline', rx: number): Promise<void> {
      checkLiftId(liftId);
      await db.insertInto('lifts').values({ lift_id: liftId, first_seen_rx: rx, last_seen_rx: rx, records_total: 0, presence: state, presence_rx: rx })
        .onConflict((oc) => oc.column('lift_id').doUpdateSet({ presence: state, presence_rx: rx })).execute();
    },
    // Prepared on SQLite: a notification reads the name and address the lift's terminal reported here.
    get: (liftId: string): Promise<LiftRecord | undefined> => fastOr(hot, (h) => {
      const r = h.one.first({ liftId });
      return r ? toLift(r) : undefined;
    }, async () => {
      const r = await lifts().where('lifts.lift_id', '=', liftId).executeTakeFirst();
      return r ? toLift(r) : undefined;
    }),
    /** The lifts of these ids that exist, in id order. */
    async getMany(liftIds: readonly string[]): Promise<LiftRecord[]> {
      const out: LiftRecord[] = [];
      for (let i = 0; i < liftIds.length; i += SUMMARY_CHUNK) {
        const chunk = liftIds.slice(i, i + SUMMARY_CHUNK);
        if (chunk.length > 0) out.push(...(await lifts().where('lifts.lift_id', 'in', chunk).orderBy('lifts.lift_id').execute()).map(toLift));
      }
      return out;
    },
    list: async (opts: { limit: number; offset: number }): Promise<LiftRecord[]> =>
      (await lifts().orderBy('lifts.lift_id').limit(opts.limit).offset(opts.offset).execute()).map(toLift),
    /** Ids of the lifts seen, whose presence changed, or whose registry entry was set after `since`, for readers that keep an index of them. */
    changedSince: async (since: number, limit = 1_000_000): Promise<string[]> =>
      (await lifts().where((e) => e.or([e('lifts.last_seen_rx', '>', since), e('lifts.presence_rx', '>', since), e('lift_registry.updated_at', '>', since)]))
        .orderBy('lifts.lift_id').limit(limit).execute()).map((r) => r.lift_id),
    count: async (): Promise<number> => Number((await db.selectFrom('lifts').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    /** Ids of the lifts the platform's registry puts in this GB/T 2260 area (a district); what terminals report does not count. */
    inArea: async (areaCode: string): Promise<string[]> =>
      (await db.selectFrom('lifts').innerJoin('lift_registry', 'lift_registry.lift_id', 'lifts.lift_id').select('lifts.lift_id')
        .where('lift_registry.area_code', '=', areaCode).orderBy('lifts.lift_id').execute()).map((r) => r.lift_id),
  };
}
