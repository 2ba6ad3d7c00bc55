import type Database from 'better-sqlite3';
import { isUnrecoverable, type AlertJobKind } from '@liftwatch/contract';
import { ensureJobQueueTable } from '@liftwatch/state-store';
import { backoffDelay, type JobHandler, type JobInput, type JobQueue, type JobState } from './job-queue.js';

export interface SqliteJobQueueOptions {
  /** Table-name prefix, so tests and several queues can share a database. @defaultValue 'jobs' */
  readonly table?: string;
  /** Longest sleep between looks for due jobs, ms; a job added to run now is started at once. @defaultValue 250 */
  readonly pollMs?: number;
  /** Jobs run at the same time. @defaultValue 16 */
  readonly concurrency?: number;
  /** Clock, ms; tests pass a controllable one and call `runDue()`. @defaultValue Date.now */
  readonly now?: () => number;
}

interface JobRow { id: string; kind: AlertJobKind; payload: string; run_at: number; attempts: number; max_attempts: number; backoff_ms: number; state: JobState; last_error: string | null }

/**
 * The local durable job queue of the all-in-one process, on SQLite. A job is a row; it is claimed
 * (state `active`) before it runs and finished after, each in its own transaction. A process that
 * dies while a job runs leaves it `active`: at the next start it is run again. Deliveries carry
 * their job id as idempotency key, so the channel recognises that second send.
 *
 * The database runs with synchronous=FULL (one fsync per transaction), so claims are written in one
 * transaction per look, and outcomes are grouped into one transaction per turn of the event loop.
 * An outcome lost in a crash only makes the job run again: at-least-once, deduplicated by its id.
 */
export function createSqliteJobQueue(db: Database.Database, options: SqliteJobQueueOptions = {}): JobQueue & { runDue(): Promise<number> } {
  const t = options.table ?? 'jobs';
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 16;
  const now = options.now ?? Date.now;
  ensureJobQueueTable(db, t);
  // Recovery: a job left active by a process that died is run again.
  db.prepare(`UPDATE ${t} SET state = 'waiting' WHERE state = 'active'`).run();

  const insert = db.prepare(`INSERT OR IGNORE INTO ${t} (id, kind, payload, run_at, max_attempts, backoff_ms, state, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const due = db.prepare<[number, number], JobRow>(`SELECT * FROM ${t} WHERE state = 'waiting' AND run_at <= ? ORDER BY run_at LIMIT ?`);
  const claim = db.prepare(`UPDATE ${t} SET state = 'active', attempts = attempts + 1 WHERE id = ? AND state = 'waiting'`);
  const finish = db.prepare(`UPDATE ${t} SET state = ?, last_error = ? WHERE id = ?`);
  const retry = db.prepare(`UPDATE ${t} SET state = 'waiting', run_at = ?, last_error = ? WHERE id = ?`);
  const next = db.prepare<[], { run_at: number }>(`SELECT run_at FROM ${t} WHERE state = 'waiting' ORDER BY run_at LIMIT 1`);
  const byId = db.prepare<[string], JobRow>(`SELECT * FROM ${t} WHERE id = ?`);
  /**
   * Inserts jobs; as many of those due now as there is room for are inserted claimed (`active`, as
   * `claim` leaves them) in the same transaction and returned to be started, so that a job due now
   * waits for one commit before it runs, not two. A job whose id is already there is left as it is.
   */
  const insertAll = db.transaction((jobs: readonly JobInput[], room: number): JobRow[] => {
    const at = now();
    const started: JobRow[] = [];
    for (const job of jobs) {
      const claimed = started.length < room && job.runAt <= at;
      const row: JobRow = { id: job.id, kind: job.kind, payload: JSON.stringify(job.payload), run_at: job.runAt, attempts: 0, max_attempts: job.maxAttempts ?? 1, backoff_ms: job.backoffMs ?? 1000, state: 'waiting', last_error: null };
      const added = insert.run(row.id, row.kind, row.payload, row.run_at, row.max_attempts, row.backoff_ms, claimed ? 'active' : 'waiting', claimed ? 1 : 0, at).changes === 1;
      if (claimed && added) started.push(row);
    }
    return started;
  });

  let handler: JobHandler | undefined;
  let closed = false;
  /** Set by a forced close: results of jobs still running are not written (as after a crash). */
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<void>>();

  /** Outcomes waiting for their grouped transaction. */
  const outcomes: Array<() => void> = [];
  const writeOutcomes = db.transaction(() => { for (const w of outcomes.splice(0)) w(); });
  let flushQueued = false;
  const flush = () => { flushQueued = false; if (outcomes.length > 0 && db.open) writeOutcomes(); };
  const outcome = (w: () => void) => {
    outcomes.push(w);
    if (!flushQueued) { flushQueued = true; setImmediate(flush); }
  };
  const claimAll = db.transaction((rows: JobRow[]) => rows.filter((r) => claim.run(r.id).changes === 1));

  async function runOne(row: JobRow): Promise<void> {
    const attempt = row.attempts + 1;
    try {
      await handler!({ id: row.id, kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown>, attempt, maxAttempts: row.max_attempts });
      if (!abandoned) outcome(() => finish.run('done', null, row.id));
    } catch (err) {
      if (abandoned) return;
      const reason = err instanceof Error ? err.message : String(err);
      if (isUnrecoverable(err) || attempt >= row.max_attempts) outcome(() => finish.run('failed', reason, row.id));
      else { const at = now() + backoffDelay(row.backoff_ms, attempt + 1); outcome(() => retry.run(at, reason, row.id)); }
    }
  }

  function startAll(rows: readonly JobRow[]): void {
    for (const row of rows) {
      const p = runOne(row).finally(() => running.delete(p));
      running.add(p);
    }
  }

  /**
   * Jobs added: those due now that there is room for start at once, claimed in the insert's
   * transaction. The pump waits for them and schedules what follows; when every job due now started,
   * it looks for more after this turn, so that the jobs started run their first steps (a delivery's
   * "sending" line, its send) before it.
   */
  function addAll(jobs: readonly JobInput[]): void {
    const accepting = handler !== undefined && !closed;
    const dueNow = jobs.filter((j) => j.runAt <= now()).length;
    const started = insertAll(jobs, accepting ? concurrency - running.size : 0);
    startAll(started);
    if (!accepting || dueNow === 0) return;
    if (started.length < dueNow) pump();
    else setImmediate(pump);
  }

  /** Starts every due job there is room for; resolves when they have finished. Returns how many ran. */
  async function runDue(): Promise<number> {
    if (!handler || closed) return 0;
    let ran = 0;
    for (;;) {
      flush();
      const free = concurrency - running.size;
      // A closing queue starts no more jobs; it waits for those running.
      const rows = free > 0 && !closed ? due.all(now(), free) : [];
      const started = rows.length > 0 ? claimAll(rows) : [];
      startAll(started);
      ran += started.length;
      if (running.size === 0) break;
      await Promise.race(running);
    }
    return ran;
  }

  let pumping = false;
  let again = false;
  function pump(): void {
    if (pumping) { again = true; return; }
    pumping = true;
    void runDue().finally(() => {
      pumping = false;
      if (again) { again = false; pump(); } else schedule();
    });
  }

  function schedule(): void {
    if (closed || !handler) return;
    clearTimeout(timer);
    flush();
    const first = next.get()?.run_at;
    const wait = first === undefined ? pollMs : Math.min(pollMs, Math.max(0, first - now()));
    timer = setTimeout(pump, wait);
  }

  return {
    name: t,
    async add(job: JobInput): Promise<void> {
      addAll([job]);
    },
    async addBulk(jobs: readonly JobInput[]): Promise<void> {
      if (jobs.length > 0) addAll(jobs);
    },
    start(h: JobHandler): void {
      handler = h;
      pump();
    },
    async state(id: string) {
      flush();
      const row = byId.get(id);
      return row ? { state: row.state, attempts: row.attempts, lastError: row.last_error } : undefined;
    },
    runDue,
    async close(opts: { force?: boolean } = {}): Promise<void> {
      closed = true;
      clearTimeout(timer);
      if (opts.force) { abandoned = true; outcomes.length = 0; }
      else while (running.size > 0) await Promise.allSettled([...running]);
      if (!opts.force) flush();
    },
  };
}
