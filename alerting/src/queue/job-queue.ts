import type { AlertJobKind } from '@liftwatch/contract';

/** A job to run at `runAt`: escalation steps, reminders and deliveries are all jobs, persisted so they fire across restarts. */
export interface JobInput {
  /** Unique id, from packages/contract (escalationJobId, deliveryJobId…): adding an id that exists already does nothing. */
  readonly id: string;
  readonly kind: AlertJobKind;
  readonly payload: Record<string, unknown>;
  /** When to run it, ms UTC. A time in the past runs at once. */
  readonly runAt: number;
  /** Tries before the job is marked failed. @defaultValue 1 */
  readonly maxAttempts?: number;
  /** Wait before the second try; doubled before each later one (exponential backoff). @defaultValue 1000 */
  readonly backoffMs?: number;
}

export interface JobRun {
  readonly id: string;
  readonly kind: AlertJobKind;
  readonly payload: Record<string, unknown>;
  /** 1 on the first try; a try cut short by a crash (kill -9 while it ran) counts, so the next one has the next number. */
  readonly attempt: number;
  /** The attempt whose failure is final (moved up by tries that a crash cut short, on BullMQ). */
  readonly maxAttempts: number;
}

/**
 * Runs one job. Throwing retries it with backoff, unless the error says it is not retryable
 * (`retryable: false`, as LiftwatchError carries: STYLE.md 7) or it was the last attempt.
 */
export type JobHandler = (job: JobRun) => Promise<void>;

export type JobState = 'waiting' | 'active' | 'done' | 'failed';

/**
 * The job queue port. Two adapters pass one contract suite (alerting/test/job-queue.contract.ts):
 * SQLite for the all-in-one process, BullMQ on Redis for the distributed mode.
 */
export interface JobQueue {
  readonly name: string;
  add(job: JobInput): Promise<void>;
  /** Adds several jobs at once: one transaction on SQLite, one round trip on Redis. */
  addBulk(jobs: readonly JobInput[]): Promise<void>;
  /** Starts running due jobs with `handler`. */
  start(handler: JobHandler): void;
  /** State of a job, for tests and the audit. */
  state(id: string): Promise<{ state: JobState; attempts: number; lastError: string | null } | undefined>;
  /**
   * Stops taking jobs and waits for the running ones. `force` does not wait: what runs is left as a
   * crash leaves it, and runs again on the next start (tests use it to crash between send and ack).
   */
  close(opts?: { force?: boolean }): Promise<void>;
}

/** Whether an error asks for no retry (LiftwatchError and BullMQ's UnrecoverableError idea). */
export function isUnrecoverable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === false;
}

/** Backoff before attempt `next` (2, 3, …): backoffMs × 2^(next − 2). */
export function backoffDelay(backoffMs: number, next: number): number {
  return backoffMs * 2 ** Math.max(0, next - 2);
}
