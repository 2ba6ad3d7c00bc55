import { isUnrecoverable } from '@liftwatch/contract';

/**
 * What ingest asks of alerting (raise, condition cleared, service mode), run in order per lift and
 * retried until done. The alert sink may answer at once (the all-in-one's SQLite: the action runs
 * in the record path, before the record is stored, as before) or later (the shared state store on
 * PostgreSQL): then the record is stored at once but acknowledged only when its action is done, the
 * lift's other records go on, and the lift's later actions wait behind the first, so a "cleared"
 * never overtakes its "raise". A raise that fails because the store is briefly away is
 * tried again with backoff, not dropped: an alert is a safety promise. An action refused as wrong
 * input (`retryable: false`) is logged and dropped.
 */
export interface AlertActionsOptions {
  readonly log?: (line: string) => void;
  /** First wait before trying a failed action again, doubled up to `maxRetryMs`. @defaultValue 100 */
  readonly retryMs?: number;
  /** @defaultValue 5000 */
  readonly maxRetryMs?: number;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export function createAlertActions(options: AlertActionsOptions = {}) {
  const log = options.log ?? (() => {});
  const retryMs = options.retryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  /** The last action waiting or running per lift. */
  const tails = new Map<string, Promise<void>>();
  let waiting = 0;
  let retries = 0;
  let stopped = false;

  /** Runs `fn` until it succeeds (or is refused as wrong input, or the process stops). */
  async function untilDone(what: string, fn: () => unknown, first?: Promise<unknown>): Promise<void> {
    let wait = retryMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await (attempt === 1 && first ? first : fn());
        if (attempt > 1) log(`ingest: ${what} done after ${attempt} attempts`);
        return;
      } catch (err) {
        if (isUnrecoverable(err)) {
          log(`ingest: ${what} refused: ${String(err)}`);
          return;
        }
        if (stopped) {
          log(`ingest: ${what} not done at close (the alert store did not answer: ${String(err)}); the terminal's next records raise it again`);
          return;
        }
        if (attempt === 1 || attempt % 20 === 0) log(`ingest: ${what} failed (${String(err)}); trying again every ${Math.min(wait * 2, maxRetryMs)} ms at most`);
        retries++;
        await sleep(wait);
        wait = Math.min(wait * 2, maxRetryMs);
      }
    }
  }

  function settle(liftId: string, p: Promise<void>): Promise<void> {
    waiting++;
    const tail = p.finally(() => {
      waiting--;
      if (tails.get(liftId) === tail) tails.delete(liftId);
    });
    tails.set(liftId, tail);
    return tail;
  }

  /** `fn`, then `onDone` with its value (`onDone?.(await fn())` would skip `fn` when there is no onDone). */
  const withDone = (fn: () => unknown, onDone?: (value: unknown) => void) => async () => {
    const v = await fn();
    onDone?.(v);
  };

  return {
    /**
     * Runs an action for a lift: at once when nothing of that lift is waiting (a synchronous sink
     * finishes inside this call), else after the lift's earlier actions. Returns undefined when the
     * action is done, else the promise that it is (it never rejects): the record that caused it is
     * acknowledged only then, so a terminal keeps a record whose alarm is not yet in the store.
     */
    run(liftId: string, what: string, fn: () => unknown, onDone?: (value: unknown) => void): Promise<void> | undefined {
      const tail = tails.get(liftId);
      if (tail) return settle(liftId, tail.then(() => untilDone(what, withDone(fn, onDone))));
      let value: unknown;
      try {
        value = fn();
      } catch (err) {
        if (isUnrecoverable(err)) { log(`ingest: ${what} refused: ${String(err)}`); return undefined; }
        return settle(liftId, untilDone(what, withDone(fn, onDone), Promise.reject(err)));
      }
      if (!isPromise(value)) { onDone?.(value); return undefined; }
      return settle(liftId, untilDone(what, withDone(fn, onDone), value.then((v) => onDone?.(v))));
    },
    /** The promise that every action of the lift run so far is done; undefined when none waits. */
    pendingFor: (liftId: string): Promise<void> | undefined => tails.get(liftId),
    /** Actions waiting or running (for metrics and tests). */
    pending: () => waiting,
    /** Tries made again after a failure, since start. */
    retries: () => retries,
    /** Waits for the waiting actions, at most `ms`; after it, failing ones give up. */
    async drain(ms: number): Promise<void> {
      const all = Promise.all([...tails.values()]);
      const timer = new Promise<void>((r) => setTimeout(r, ms).unref());
      await Promise.race([all, timer]);
      stopped = true;
      if (waiting > 0) log(`ingest: ${waiting} alert action(s) still waiting at close`);
    },
  };
}

export type AlertActions = ReturnType<typeof createAlertActions>;
