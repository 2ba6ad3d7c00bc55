import type Database from 'better-sqlite3';

/**
 * The tables a node keeps in its own SQLite file and shares with no other node: its working memory,
 * not the platform's state. Their schemas live here, beside the shared ones, so that one package
 * holds every table of the platform; the code that uses a table creates it with `ensureNodeTable`
 * before preparing its statements (idempotent: `IF NOT EXISTS`). What each is for:
 *
 * - `model_feature_states`: each lift's streaming feature state, checkpointed so that a restart
 *   resumes where it stopped (rebuilt from stored records when lost).
 * - `model_alert_states`: the predicted alerts' hysteresis per model and lift (raised, or since when
 *   the score has held towards a change).
 * - `model_risk_days`: each lift's daily risk per model, for the trend on the lift page.
 * - `model_held_raises`: predicted raises from records scored late (a replay, a catch-up), held until
 *   it is known whether they cleared within that history; kept so a restart does not lose them.
 * - `demo_history`: which simulated lifts have had their history written, so a restart of the demo
 *   does not write it twice.
 */
const NODE_TABLES = {
  model_feature_states: 'CREATE TABLE IF NOT EXISTS model_feature_states (lift_id TEXT PRIMARY KEY, layout TEXT NOT NULL, saved_at INTEGER NOT NULL, block BLOB NOT NULL, overflow TEXT)',
  model_alert_states: 'CREATE TABLE IF NOT EXISTS model_alert_states (model_id TEXT NOT NULL, lift_id TEXT NOT NULL, active INTEGER NOT NULL, since INTEGER, PRIMARY KEY (model_id, lift_id)) WITHOUT ROWID',
  model_risk_days: 'CREATE TABLE IF NOT EXISTS model_risk_days (lift_id TEXT PRIMARY KEY, models TEXT NOT NULL, first_day INTEGER NOT NULL, days BLOB NOT NULL)',
  model_held_raises: 'CREATE TABLE IF NOT EXISTS model_held_raises (lift_id TEXT NOT NULL, code TEXT NOT NULL, at INTEGER NOT NULL, req TEXT NOT NULL, PRIMARY KEY (lift_id, code)) WITHOUT ROWID',
  demo_history: 'CREATE TABLE IF NOT EXISTS demo_history (lift_id TEXT PRIMARY KEY, mix TEXT NOT NULL, seed INTEGER NOT NULL, end_ms INTEGER NOT NULL, days REAL NOT NULL, done_at INTEGER) WITHOUT ROWID',
} as const;

/** A node-local table's name. */
export type NodeTable = keyof typeof NODE_TABLES;
export const NODE_TABLE_NAMES = Object.keys(NODE_TABLES) as readonly NodeTable[];

/** Creates a node-local table in the node's SQLite file if it is not there. */
export function ensureNodeTable(db: Database.Database, table: NodeTable): void {
  db.exec(NODE_TABLES[table]);
}

const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates a job queue's table and its index of due jobs, named `table` (the all-in-one's stand-in
 * for BullMQ on Redis keeps one queue per table: a queue, not shared state).
 */
export function ensureJobQueueTable(db: Database.Database, table: string): void {
  if (!SQL_NAME.test(table)) throw new RangeError(`job queue table name "${table}" must be lower-case letters, digits and _ (at most 63), starting with a letter or _`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, backoff_ms INTEGER NOT NULL,
    state TEXT NOT NULL, last_error TEXT, created_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (state, run_at);`);
}
