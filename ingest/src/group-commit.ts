/**
 * Group commit: operations that arrive while the previous batch is being written are written
 * together in the next one, and each caller's promise settles only after its batch committed.
 * The broker acknowledges a record (PUBACK) only then, so "accepted" means "on disk", while one
 * transaction (one fsync, or one HTTP write) is shared by every record of a batch. The commit may
 * be synchronous (SQLite) or asynchronous (InfluxDB); one batch is in flight at a time.
 */
export interface GroupCommitOptions {
  /** Largest number of operations in one transaction. @defaultValue 2000 */
  readonly maxBatch?: number;
}

interface Waiter { resolve: () => void; reject: (err: unknown) => void; last: number }

export function createGroupCommit<Op>(commit: (ops: Op[]) => void | Promise<void>, options: GroupCommitOptions = {}) {
  const maxBatch = options.maxBatch ?? 2000;
  const ops: Op[] = [];
  /** Waiters in arrival order; `last` is the count of ops queued up to and including the waiter's own. */
  let waiters: Waiter[] = [];
  let taken = 0; // ops handed to commits so far
  let queued = 0; // ops ever queued
  let scheduled = false;
  let running: Promise<void> | undefined;
  let closed = false;
  let batches = 0;
  let lastBatchSize = 0;

  async function flush(): Promise<void> {
    scheduled = false;
    while (ops.length > 0) {
      const batch = ops.splice(0, maxBatch);
      taken += batch.length;
      try {
        await commit(batch);
        batches++;
        lastBatchSize = batch.length;
        const done = waiters.filter((w) => w.last <= taken);
        waiters = waiters.filter((w) => w.last > taken);
        for (const w of done) w.resolve();
      } catch (err) {
        // Nothing of what is still pending is known to be on disk: fail every waiter.
        const failed = waiters;
        waiters = [];
        taken += ops.length;
        ops.length = 0;
        for (const w of failed) w.reject(err);
      }
    }
  }

  function kick(): void {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(() => {
      running = flush().finally(() => {
        running = undefined;
        if (ops.length > 0) kick();
      });
    });
  }

  /** Queues operations; resolves once they are committed, rejects if their commit failed. */
  function add(items: Op[]): Promise<void> {
    if (closed) return Promise.reject(new Error('store is closed'));
    if (items.length === 0) return Promise.resolve();
    ops.push(...items);
    queued += items.length;
    const promise = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject, last: queued }));
    kick();
    return promise;
  }

  /** Commits what is queued and refuses more. */
  async function close(): Promise<void> {
    closed = true;
    while (running) await running;
    await flush();
  }

  return { add, close, pending: (): number => ops.length, stats: () => ({ batches, lastBatchSize }) };
}
