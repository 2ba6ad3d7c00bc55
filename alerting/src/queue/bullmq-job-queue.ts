import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ALERT_QUEUE, REDIS_PREFIX, type AlertJobKind } from '@liftwatch/contract';
import { isUnrecoverable, type JobHandler, type JobInput, type JobQueue, type JobState } from './job-queue.js';

export interface BullmqJobQueueOptions {
  /** Redis host. @defaultValue '127.0.0.1' */
  readonly host?: string;
  readonly port: number;
  /** Redis ACL user and password, and database number, as in redis://user:password@host:6379/2. */
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  /** Queue name; tests pass a random one (STYLE.md: BullMQ anchor). @defaultValue ALERT_QUEUE */
  readonly name?: string;
  /** Jobs one worker runs at the same time. @defaultValue 16 */
  readonly concurrency?: number;
  /** Most jobs started per `limiterDurationMs` by all workers of the queue (BullMQ limiter); 0 = no limit. @defaultValue 0 */
  readonly limiterMax?: number;
  /** @defaultValue 1000 */
  readonly limiterDurationMs?: number;
  /** How long a worker's lock on a running job lasts; a job whose worker died runs again after it. @defaultValue 30000 */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired (stalled). @defaultValue 30000 */
  readonly stalledIntervalMs?: number;
  /**
   * Longest wait between two reconnects to Redis, and before the worker's loop tries again after a
   * Redis error. BullMQ's own defaults grow to 20 s between reconnects and 15 s in the loop, so a
   * P1 raised during an outage could wait that long after Redis is back. @defaultValue 1000
   */
  readonly reconnectMaxMs?: number;
  /** Called before each reconnect of any of the queue's Redis connections, with its number (1, 2, …) and its wait (logs, tests). */
  readonly onReconnect?: (attempt: number, delayMs: number) => void;
}

/** Wait before reconnect `attempt` (1, 2, …): 50 ms doubled each time, at most `maxMs` (50, 100, 200, 400, 800, 1000, 1000 …). */
export function reconnectDelayMs(attempt: number, maxMs: number): number {
  return Math.min(maxMs, 50 * 2 ** Math.min(20, Math.max(0, attempt - 1)));
}

interface Data { payload: Record<string, unknown> }

function optionsOf(job: JobInput) {
  return {
    jobId: job.id,
    delay: Math.max(0, job.runAt - Date.now()),
    attempts: job.maxAttempts ?? 1,
    backoff: { type: 'exponential', delay: job.backoffMs ?? 1000 },
    // Kept, so that adding the same id again is a no-op (the dedup of deliveries); trimmed by age.
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  };
}

/**
 * The job queue on BullMQ (distributed mode): delayed jobs for escalation timers, attempts with
 * exponential backoff, `UnrecoverableError` for errors that a retry will not cure. Redis keeps the
 * jobs; with `appendonly yes` they survive a Redis restart, and the worker reconnects by itself.
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const name = options.name ?? ALERT_QUEUE;
  const reconnectMaxMs = options.reconnectMaxMs ?? 1000;
  const retryStrategy = (attempt: number) => {
    const delay = reconnectDelayMs(attempt, reconnectMaxMs);
    options.onReconnect?.(attempt, delay);
    return delay;
  };
  // maxRetriesPerRequest null: BullMQ's workers block on Redis and must retry forever across a restart.
  const connection = {
    host: options.host ?? '127.0.0.1', port: options.port, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy,
    ...(options.username ? { username: options.username } : {}), ...(options.password ? { password: options.password } : {}), ...(options.db ? { db: options.db } : {}),
  };
  const queue = new Queue<Data, void, AlertJobKind>(name, { connection, prefix: REDIS_PREFIX });
  queue.on('error', () => { /* Redis away: ioredis reconnects (onReconnect reports it); adds wait in its offline queue */ });
  let worker: Worker<Data, void, AlertJobKind> | undefined;

  async function run(handler: JobHandler, job: Job<Data, void, AlertJobKind>): Promise<void> {
    // attemptsStarted counts the runs cut short by a dead worker too (a stalled job), so each run has
    // its own number; those runs do not count against the attempts, so the last one moves up with them.
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const maxAttempts = (job.opts.attempts ?? 1) + (attempt - job.attemptsMade - 1);
    try {
      await handler({ id: job.id!, kind: job.name, payload: job.data.payload, attempt, maxAttempts });
    } catch (err) {
      if (isUnrecoverable(err)) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  return {
    name,
    async add(job: JobInput): Promise<void> {
      await queue.add(job.kind, { payload: job.payload }, optionsOf(job));
    },
    async addBulk(jobs: readonly JobInput[]): Promise<void> {
      if (jobs.length > 0) await queue.addBulk(jobs.map((job) => ({ name: job.kind, data: { payload: job.payload }, opts: optionsOf(job) })));
    },
    start(handler: JobHandler): void {
      worker = new Worker<Data, void, AlertJobKind>(name, (job) => run(handler, job), {
        connection, prefix: REDIS_PREFIX, concurrency: options.concurrency ?? 16,
        lockDuration: options.lockDurationMs ?? 30_000, stalledInterval: options.stalledIntervalMs ?? 30_000, runRetryDelay: reconnectMaxMs,
        ...(options.limiterMax ? { limiter: { max: options.limiterMax, duration: options.limiterDurationMs ?? 1000 } } : {}),
      });
      worker.on('error', () => { /* connection errors while Redis restarts: ioredis reconnects */ });
    },
    async state(id: string) {
      const job = await queue.getJob(id);
      if (!job) return undefined;
      const s = await job.getState();
      const state: JobState = s === 'completed' ? 'done' : s === 'failed' ? 'failed' : s === 'active' ? 'active' : 'waiting';
      return { state, attempts: job.attemptsMade, lastError: job.failedReason ?? (job.stacktrace?.length ? job.stacktrace.at(-1)!.split('\n')[0]! : null) };
    },
    async close(opts: { force?: boolean } = {}): Promise<void> {
      await worker?.close(opts.force === true);
      await queue.close();
    },
  };
}
