/**
 * Group commit: operations that arrive in the same turn of the event loop are written in one
 * transaction, and each caller's promise settles only after that transaction committed. The
 * broker acknowledges a record (PUBACK) only then, so "accepted" means "on disk", while one
 * fsync is shared by every record of the batch.
 */
export interface GroupCommitOptions {
  /** Largest number of operations in one transaction. @defaultValue 2000 */
  readonly maxBatch?: number;
}

interface Waiter { resolve: () => void; reject: (err: unknown) => void }

export function createGroupCommit<Op>(commit: (ops: Op[]) => void, options: GroupCommitOptions = {}) {
  const maxBatch = options.maxBatch ?? 2000;
  let ops: Op[] = [];
  const waiters: Waiter[] = [];
  let scheduled = false;
  let closed = false;

  function flush(): void {
    scheduled = false;
    while (ops.length > 0) {
      const batch = ops.length > maxBatch ? ops.splice(0, maxBatch) : ops.splice(0);
      const done = ops.length === 0 ? waiters.splice(0) : [];
      try {
        commit(batch);
        for (const w of done) w.resolve();
      } catch (err) {
        // Fail every waiter of what is still pending: none of it is known to be on disk.
        for (const w of [...done, ...waiters.splice(0)]) w.reject(err);
        ops = [];
        return;
      }
    }
  }

  /** Queues operations; resolves once they are committed, rejects if the commit failed. */
  function add(items: Op[]): Promise<void> {
    if (closed) return Promise.reject(new Error('store is closed'));
    if (items.length === 0) return Promise.resolve();
    ops.push(...items);
    const promise = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return promise;
  }

  /** Commits what is queued and refuses more. */
  function close(): void {
    flush();
    closed = true;
  }

  return { add, flush, close, pending: () => ops.length };
}
