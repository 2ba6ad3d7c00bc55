/**
 * Group commit: operations that arrive while the previous batch is being written are written
 * together in the next one, and each caller's promise settles only after its batch committed.
 * The broker acknowledges a record (PUBACK) only then, so "accepted" means "on disk", while one
 * transaction (one fsync, or one HTTP write) is shared by every record of a batch. The commit may
 * be synchronous (SQLite) or asynchronous (InfluxDB); one batch is in flight at a time.
 */
export interface GroupCommitOptions {
  /**
   * Largest number of operations in one transaction. Under a backlog, records per second are at most
   * this over the time of one commit (its fsync included): 2,000 over a 200 ms commit on a busy disk
   * is 10,000 records/s, a third of a city. A larger batch also writes fewer index pages per record: records
   * of 150,000 lifts each dirty a page of the records' index, and a page dirtied twice in one
   * transaction is written to the log once. @defaultValue 10000
   */
  readonly maxBatch?: number;
}

/**
 * The callers whose last operation falls into the same transaction: they settle together, so they
 * share one promise (a city's 30,000 messages a second make a few hundred of these, not 30,000).
 * `last` is the count of ops queued up to and including its latest caller's; `takes` and `batch`
 * say which future transaction that is.
 */
interface Waiter { readonly promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void; last: number; readonly takes: number; readonly batch: number }

/**
 * A first-in first-out queue that takes from its head in constant time (an array's shift or splice
 * moves everything behind): under a backlog of 100,000 operations, each batch taken would otherwise
 * copy the rest of the queue, and each commit walk every waiter.
 */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number { return this.items.length - this.head; }
  push(item: T): void { this.items.push(item); }
  peek(): T | undefined { return this.items[this.head]; }
  last(): T | undefined { return this.length > 0 ? this.items[this.items.length - 1] : undefined; }
  shift(): T | undefined {
    const item = this.items[this.head];
    if (this.head < this.items.length) this.items[this.head++] = undefined as T;
    this.compact();
    return item;
  }
  /** The first `n` items, taken. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end);
    this.items.fill(undefined as T, this.head, end);
    this.head = end;
    this.compact();
    return out;
  }
  /** Every item, taken. */
  drain(): T[] { return this.take(this.length); }
  private compact(): void {
    if (this.head === this.items.length) { this.items = []; this.head = 0; } else if (this.head > 4096 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
  }
}

export function createGroupCommit<Op>(commit: (ops: Op[]) => void | Promise<void>, options: GroupCommitOptions = {}) {
  const maxBatch = options.maxBatch ?? 10_000;
  const ops = new Queue<Op>();
  /** Waiters in arrival order; `last` is the count of ops queued up to and including the waiter's own. */
  const waiters = new Queue<Waiter>();
  let taken = 0; // ops handed to commits so far
  let queued = 0; // ops ever queued
  let takes = 0; // batches taken so far
  let scheduled = false;
  let running: Promise<void> | undefined;
  let closed = false;
  let batches = 0;
  let lastBatchSize = 0;

  async function flush(): Promise<void> {
    scheduled = false;
    while (ops.length > 0) {
      const batch = ops.take(maxBatch);
      taken += batch.length;
      takes++;
      try {
        await commit(batch);
        batches++;
        lastBatchSize = batch.length;
        while ((waiters.peek()?.last ?? Infinity) <= taken) waiters.shift()!.resolve();
      } catch (err) {
        // Nothing of what is still pending is known to be on disk: fail every waiter.
        const failed = waiters.drain();
        taken += ops.drain().length;
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
    for (const op of items) ops.push(op);
    queued += items.length;
    const w = waiterFor(queued);
    kick();
    return w.promise;
  }

  /**
   * The waiter of the caller whose last op is the `last`-th: the latest one when that op goes into
   * the same transaction as its ops (no batch taken since, and the same maxBatch slice of the queue
   * past what was taken), else a new one.
   */
  function waiterFor(last: number): Waiter {
    const batch = Math.ceil((last - taken) / maxBatch);
    const tail = waiters.last();
    if (tail && tail.takes === takes && tail.batch === batch) {
      tail.last = last;
      return tail;
    }
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    const w: Waiter = { promise, resolve, reject, last, takes, batch };
    waiters.push(w);
    return w;
  }

  /** Commits what is queued and refuses more. */
  async function close(): Promise<void> {
    closed = true;
    while (running) await running;
    await flush();
  }

  return { add, close, pending: (): number => ops.length, stats: () => ({ batches, lastBatchSize }) };
}
