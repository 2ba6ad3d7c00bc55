import { sql } from 'kysely';
import type { StateTables } from './tables.js';
import type { StateStore } from './index.js';

/**
 * Tables in the order they are copied (an alert before its occurrences and audit lines), each with
 * the columns that order its rows, for a generated id the id column whose PostgreSQL sequence is
 * moved past the copied ids, and the columns of the source's own that are not copied.
 */
const TABLES: ReadonlyArray<{ table: keyof StateTables; orderBy: string[]; id?: string; omit?: string[] }> = [
  // summary_to: the newest record an all-in-one's lift row covers, for its own crash recovery; its records stay behind.
  { table: 'lifts', orderBy: ['lift_id'], omit: ['summary_to'] },
  { table: 'lift_registry', orderBy: ['lift_id'] },
  { table: 'broker_terminals', orderBy: ['terminal_id'] },
  { table: 'crew_orgs', orderBy: ['id'] },
  { table: 'crew_people', orderBy: ['id'] },
  { table: 'crew_lifts', orderBy: ['lift_id'] },
  { table: 'crew_rota', orderBy: ['id'], id: 'id' },
  { table: 'escalation_policies', orderBy: ['org_id', 'severity'] },
  { table: 'dash_users', orderBy: ['id'] },
  { table: 'dash_sessions', orderBy: ['token_sha256'] },
  { table: 'dash_audit', orderBy: ['id'], id: 'id' },
  { table: 'alerts', orderBy: ['id'], id: 'id' },
  { table: 'alert_occurrences', orderBy: ['alert_id', 'lift_id', 'seq'] },
  { table: 'alert_audit', orderBy: ['id'], id: 'id' },
  { table: 'alert_findings', orderBy: ['alert_id'] },
  { table: 'maintenance_visits', orderBy: ['id'], id: 'id' },
  { table: 'health_history', orderBy: ['lift_id', 'at'] },
  { table: 'notification_attempts', orderBy: ['id'], id: 'id' },
  { table: 'alert_plans', orderBy: ['alert_id'] },
  { table: 'lift_inspections', orderBy: ['id'], id: 'id' },
  { table: 'maintenance_plans', orderBy: ['lift_id'] },
  { table: 'work_orders', orderBy: ['id'], id: 'id' },
  { table: 'work_order_photos', orderBy: ['id'], id: 'id' },
  // The government exchange: its backlog and where its feeds read to, so nothing is sent twice or lost in the move.
  { table: 'exchange_outbox', orderBy: ['id'], id: 'id' },
  { table: 'exchange_cursors', orderBy: ['name'] },
  { table: 'rescue_calls', orderBy: ['id'], id: 'id' },
  { table: 'hazards', orderBy: ['id'], id: 'id' },
  { table: 'hazard_photos', orderBy: ['hazard_id'] },
  // Desired terminal configs with what terminals acknowledged, and the commands sent.
  { table: 'terminal_configs', orderBy: ['lift_id'] },
  { table: 'terminal_commands', orderBy: ['cmd_id'] },
];

/**
 * Copies the shared state from one store to another (an all-in-one's SQLite database into the
 * PostgreSQL of a distributed deployment), row for row with ids kept, in batches. Rows already in
 * the target are left as they are, so a copy that stopped half way can be run again. Returns the
 * rows copied per table.
 */
export async function copyState(from: StateStore, to: StateStore, opts: { batch?: number; log?: (line: string) => void } = {}): Promise<Record<string, number>> {
  const batch = opts.batch ?? 1000;
  const counts: Record<string, number> = {};
  const src = from.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
  const dst = to.db as unknown as typeof src;
  for (const { table, orderBy, id, omit } of TABLES) {
    let copied = 0;
    for (let offset = 0; ; offset += batch) {
      let q = src.selectFrom(table).selectAll();
      for (const col of orderBy) q = q.orderBy(col);
      let rows = await q.limit(batch).offset(offset).execute();
      if (rows.length === 0) break;
      if (omit) rows = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([col]) => !omit.includes(col))));
      const r = await dst.insertInto(table).values(rows).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      copied += Number(r.numInsertedOrUpdatedRows ?? 0n);
      if (rows.length < batch) break;
    }
    if (id && to.dialect === 'postgres') {
      // The next generated id comes after the copied ones.
      await sql`SELECT setval(pg_get_serial_sequence(${table}, ${id}), GREATEST((SELECT MAX(${sql.ref(id)}) FROM ${sql.table(table)}), 1))`.execute(to.db);
    }
    counts[table] = copied;
    opts.log?.(`${table}: ${copied} rows copied`);
  }
  return counts;
}
