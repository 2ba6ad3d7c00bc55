import Database from 'better-sqlite3';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { createSqliteJobQueue } from '../src/queue/sqlite-job-queue.js';

/**
 * Where a test's alerting keeps its state, as each mode of liftwatch does: `sqlite`, the all-in-one
 * (the state store on the process's SQLite file, sharing its connection with the local job queue,
 * one node); `postgres`, the distributed mode (the state in PostgreSQL, several nodes may share it).
 * Both keep the escalation timers in the local job queue on SQLite here, whose clock the test moves.
 */
export type Mode = 'sqlite' | 'postgres';
export const MODES: ReadonlyArray<[string, Mode]> = [['SQLite, all-in-one', 'sqlite'], ['PostgreSQL, distributed', 'postgres']];

export interface TestState {
  readonly state: StateStore;
  readonly queue: ReturnType<typeof createSqliteJobQueue>;
  /** Plan claims in memory: the all-in-one is the only process on its state. */
  readonly soleNode: boolean;
  close(): Promise<void>;
}

let pg: RunningPostgres | undefined;
let databases = 0;

/** A PostgreSQL server for this test file, started at the first call; stop it with stopTestPostgres(). */
export async function testDatabase(): Promise<string> {
  pg ??= await startPostgres();
  return pg.newDatabase(`alerting_${++databases}`);
}

export async function stopTestPostgres(): Promise<void> {
  await pg?.stop();
  pg = undefined;
}

/** Opens (again, after a close: a restart) the state of a test: `file` holds the SQLite state or the queue, `url` the PostgreSQL database. */
export async function openTestState(mode: Mode, where: { file: string; url?: string }, now: () => number): Promise<TestState> {
  const db = new Database(where.file);
  const state = mode === 'sqlite'
    ? await openStateStore({ url: `sqlite:${where.file}`, connection: db })
    : await openStateStore({ url: where.url!, poolSize: 4 });
  const queue = createSqliteJobQueue(db, { table: 'alert_jobs', now, pollMs: 3_600_000 });
  return {
    state, queue, soleNode: mode === 'sqlite',
    async close() {
      await state.close();
      db.close();
    },
  };
}
