import type Database from 'better-sqlite3';
import type { Compilable } from 'kysely';

/** The value a slot stands for while its query is compiled: a text no caller's value can be. */
const SLOT = '\u0000liftwatch-slot:';

/** Stand-ins for the values of a query built once: `slots.liftId` is the `liftId` given at each run. */
export type Slots<P> = { readonly [K in keyof P]: P[K] };

export interface PreparedQuery<P, R> {
  all(params: P): R[];
  first(params: P): R | undefined;
  run(params: P): { changes: number; lastInsertRowid: number };
}

/** What better-sqlite3 binds: it refuses booleans and undefined, which Kysely's SQLite driver never passes either. */
const bindable = (v: unknown): unknown => (v === undefined ? null : typeof v === 'boolean' ? Number(v) : v);

/**
 * A query written with Kysely (so the tables keep one typed home), compiled once with stand-ins for
 * its values, and run as a statement prepared once on the SQLite connection, synchronously: no query
 * building, no compiling, no driver and no connection lock at each run. Constants of the query (a
 * state list, an action name) stay bound as compiled; each slot takes its value from the run's
 * parameters. The statement is prepared at its first run (after the migrations made its tables).
 */
export function prepared<P extends object, R>(sqlite: Database.Database, build: (slots: Slots<P>) => Compilable<R>): PreparedQuery<P, R> {
  let statement: Database.Statement | undefined;
  let bind: (params: P) => unknown[] = () => [];
  const ready = (): Database.Statement => {
    if (statement) return statement;
    const slots = new Proxy({}, { get: (_target, key) => `${SLOT}${String(key)}` }) as Slots<P>;
    const compiled = build(slots).compile();
    const constants = compiled.parameters;
    const keys = constants.map((v) => (typeof v === 'string' && v.startsWith(SLOT) ? v.slice(SLOT.length) : undefined));
    bind = (params) => keys.map((key, i) => bindable(key === undefined ? constants[i] : (params as Record<string, unknown>)[key]));
    statement = sqlite.prepare(compiled.sql);
    return statement;
  };
  return {
    all: (params) => ready().all(bind(params)) as R[],
    first: (params) => ready().get(bind(params)) as R | undefined,
    run(params) {
      const { changes, lastInsertRowid } = ready().run(bind(params));
      return { changes, lastInsertRowid: Number(lastInsertRowid) };
    },
  };
}

const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/**
 * Runs `fast` on `hot` (statements prepared on the SQLite connection, synchronous) when it can, else
 * `slow` (the Kysely query; PostgreSQL, without `hot`, always). Not while a transaction of Kysely's is
 * open on the connection: a statement run then would join it, and be undone by its rollback; the
 * Kysely path waits for the connection instead. Not when another connection holds the write lock:
 * the Kysely path retries after an asynchronous wait (a transaction of `fast` is rolled back whole first).
 */
export function fastOr<H extends { readonly sqlite: Database.Database }, T>(hot: H | undefined, fast: (hot: H) => T, slow: () => Promise<T>): Promise<T> {
  if (hot === undefined || hot.sqlite.inTransaction) return slow();
  try {
    return Promise.resolve(fast(hot));
  } catch (err) {
    if (BUSY.has((err as { code?: string }).code ?? '')) return slow();
    return Promise.reject(err as Error);
  }
}
