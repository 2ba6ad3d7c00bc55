import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import pg from 'pg';
import { lwError } from '@liftwatch/contract';
import { migrateToLatest } from './migrations.js';
import type { StateTables } from './tables.js';
import { turnGroup, type TurnGroup } from './turn-group.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StateDb {
  readonly db: Kysely<StateTables>;
  readonly dialect: Dialect;
  /** The SQLite connection under `db` (undefined on PostgreSQL): the hot statements run on it prepared (prepared.ts). */
  readonly sqlite: Database.Database | undefined;
  /** On SQLite: writes of one turn committed together (turn-group.ts); undefined on PostgreSQL. */
  readonly inTurn: TurnGroup | undefined;
  /**
   * Runs `fn` in a transaction, again (with a short random wait) when another writer held the lock or
   * a serialisation failed. `fn` decides first and writes after, and ends without throwing when it
   * refuses (returning what the caller throws after the commit): on a connection shared with the
   * process's other code (OpenOptions.connection), a statement that code runs meanwhile is inside
   * this transaction, and a rollback would undo it too.
   */
  write<T>(fn: (trx: Kysely<StateTables>) => Promise<T>): Promise<T>;
}

export interface OpenOptions {
  /**
   * Where the state lives: `postgres://user:pass@host:5432/db` (or `postgresql://`), `sqlite:/path/file.db`,
   * or `sqlite::memory:`.
   */
  readonly url: string;
  /** Connections in the PostgreSQL pool. @defaultValue 10 */
  readonly poolSize?: number;
  /** Run the migrations on open (liftwatch does, at every start). @defaultValue true */
  readonly migrate?: boolean;
  /**
   * With a `sqlite:` URL: the process's own open connection to that file, used instead of a second
   * one (the all-in-one shares its database this way) and left open by close(). One connection
   * means one lock holder in the thread: the state's transactions and the process's other writes
   * to the file (the local job queue) never wait for each other, which two connections in one
   * thread would, blocking the event loop. Its pragmas are the caller's.
   */
  readonly connection?: Database.Database;
}

/** Where a `--state-url` points, or an error that names the value and the forms accepted. */
export function parseStateUrl(url: string): { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string } {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch (err) {
      throw lwError('LW_ERR_CONFIG_INVALID', `state URL ${JSON.stringify(url)} is not a valid URL: give postgres://user:password@host:5432/database`, err);
    }
    return { dialect: 'postgres', url };
  }
  if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  throw lwError('LW_ERR_CONFIG_INVALID', `state URL ${JSON.stringify(url)} is neither postgres://… nor sqlite:<file>: give postgres://user:password@host:5432/database, or sqlite:/path/liftwatch.db`);
}

// BIGINT (OID 20) columns hold millisecond times and row ids, all below 2^53: read them as numbers, not strings.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text'))) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40001', '40P01']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SQLite with busy_timeout 0 answers SQLITE_BUSY at once while another connection (another process,
 * or a second store on the same file) holds the write lock. A statement outside a transaction is
 * retried here, after an asynchronous wait; a transaction is retried whole by write().
 */
class SqliteRetryDialect extends SqliteDialect {
  /** `borrowed`: the connection belongs to the caller, who closes it. */
  constructor(private readonly database: Database.Database, private readonly borrowed = false) {
    super({ database });
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const { database, borrowed } = this;
    const statements = statementCache(database);
    type Wrapped = DatabaseConnection & { inner: DatabaseConnection; inTransaction: boolean };
    const unwrap = (c: DatabaseConnection) => (c as Wrapped).inner;
    return {
      init: () => inner.init(),
      destroy: () => (borrowed ? Promise.resolve() : inner.destroy()),
      async acquireConnection() {
        const conn = await inner.acquireConnection();
        const wrapped: Wrapped = {
          inner: conn, inTransaction: false,
          async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
            for (let attempt = 0; ; attempt++) {
              try {
                return statements.execute<R>(query);
              } catch (err) {
                if (wrapped.inTransaction || !RETRYABLE.has((err as { code?: string }).code ?? '') || attempt >= 50) throw err;
                await sleep(2 + Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
              }
            }
          },
          streamQuery: (query, chunkSize) => conn.streamQuery(query, chunkSize),
        };
        return wrapped;
      },
      releaseConnection: (c) => inner.releaseConnection(unwrap(c)),
      async beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
        await inner.beginTransaction(unwrap(c), settings);
        (c as Wrapped).inTransaction = true;
      },
      async commitTransaction(c) {
        (c as Wrapped).inTransaction = false;
        await inner.commitTransaction(unwrap(c));
      },
      async rollbackTransaction(c) {
        (c as Wrapped).inTransaction = false;
        // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a ROLLBACK then
        // fails, and its error would hide the one that says what happened.
        if (database.inTransaction) await inner.rollbackTransaction(unwrap(c));
      },
    };
  }
}

/** Prepared statements kept by their SQL text, at most this many (texts with IN lists of many lengths come and go). */
const MAX_STATEMENTS = 500;

/**
 * Runs a compiled query on a statement prepared once and kept: Kysely's SQLite connection prepares
 * every statement again at each query, which was most of the CPU an alert's escalation spends in the
 * state store (a P1 runs about thirty queries). SQLite prepares a kept statement again by itself
 * when the schema changes (a migration).
 */
function statementCache(database: Database.Database) {
  const kept = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let stmt = kept.get(sql);
    if (stmt !== undefined) return stmt;
    stmt = database.prepare(sql);
    if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    kept.set(sql, stmt);
    return stmt;
  };
  return {
    execute<R>(query: CompiledQuery): QueryResult<R> {
      const stmt = statement(query.sql);
      const parameters = query.parameters as unknown[];
      if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
      const { changes, lastInsertRowid } = stmt.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    },
  };
}

/** Opens the state database, checks that it answers and runs the migrations. */
export async function openStateDb(options: OpenOptions): Promise<StateDb & { close(): Promise<void> }> {
  const target = parseStateUrl(options.url);
  let db: Kysely<StateTables>;
  let sqliteConnection: Database.Database | undefined;
  if (target.dialect === 'sqlite' && options.connection) {
    if (resolve(options.connection.name) !== resolve(target.file)) {
      throw lwError('LW_ERR_CONFIG_INVALID', `state URL ${JSON.stringify(options.url)} names another file than the connection given with it (${options.connection.name}): give the connection's own file`);
    }
    sqliteConnection = options.connection;
    db = new Kysely<StateTables>({ dialect: new SqliteRetryDialect(options.connection, true) });
  } else if (target.dialect === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(resolve(target.file)), { recursive: true });
    const sqlite = new Database(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    // No busy wait: better-sqlite3 would block the event loop, and with it the writer holding the lock.
    // A busy write is retried asynchronously by write() instead.
    sqlite.pragma('busy_timeout = 0');
    sqlite.pragma('foreign_keys = ON');
    sqliteConnection = sqlite;
    db = new Kysely<StateTables>({ dialect: new SqliteRetryDialect(sqlite) });
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, types: pgTypes, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {}); // an idle client lost: the pool replaces it; queries report their own errors
    // A client in use when PostgreSQL goes away (a restart, the network cut) also emits the error: its
    // query reports it, and the pool drops the client. Without a listener the process would stop.
    pool.on('connect', (client) => { client.on('error', () => {}); });
    db = new Kysely<StateTables>({ dialect: new PostgresDialect({ pool }) });
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await db.destroy();
      const where = new URL(target.url);
      throw lwError('LW_ERR_STORAGE', `PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname} cannot be reached (${(err as Error).message}): start it, or fix --state-url`, err);
    }
  }
  const dialect = target.dialect;
  async function write<T>(fn: (trx: Kysely<StateTables>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute(fn);
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!RETRYABLE.has(code) || attempt >= 50) throw err;
        await sleep(2 + Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
      }
    }
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db as unknown as Kysely<unknown>, dialect);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  return { db, dialect, sqlite: sqliteConnection, inTurn: sqliteConnection ? turnGroup(sqliteConnection) : undefined, write, close: () => db.destroy() };
}
