import { Worker } from 'node:worker_threads';
import { threadScript } from '../threads/thread-script.js';
import type { RetentionConfig } from './sqlite-telemetry.js';
import type { WriteBatch } from './sqlite-writer.js';

interface Reply { fresh?: boolean[]; retained?: { rawDeleted: number; rollupsDeleted: number } }

/**
 * Writes batches on the writer thread (sqlite-writer-thread.ts); one client per database file. The
 * write-ahead log is copied into the database on a thread of its own (wal-copy-thread.ts) when the
 * writer asks, and the writer is told when it is done.
 */
export function createThreadedSqliteWriter(path: string, telemetry: RetentionConfig | false, log?: (line: string) => void, checkpointPages?: number) {
  const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let worker: Worker | undefined;
  let closing = false;
  // Plain JavaScript, built once from the thread's TypeScript: no TypeScript loader on the thread.
  const script = threadScript(new URL('./sqlite-writer-thread.ts', import.meta.url), log);
  // Copied or not (the copy thread failed), the writer copies what is left itself.
  const logCopy = createLogCopyThread(path, () => worker?.postMessage({ logCopied: true }), log);

  function start(): Worker {
    const w = new Worker(script, { workerData: { path, telemetry, checkpointPages } });
    w.on('message', (m: Reply & { id: number; error?: string } | { copyLog: true }) => {
      if ('copyLog' in m) {
        logCopy.copy();
        return;
      }
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    const gone = (why: string) => {
      if (worker === w) worker = undefined;
      const err = new Error(`the SQLite writer thread ${why}`);
      for (const p of waiting.values()) p.reject(err);
      waiting.clear();
      if (!closing) log?.(`ingest: the SQLite writer thread ${why}; a new one starts with the next batch`);
    };
    w.on('error', (err) => gone(`failed: ${err.message}`));
    w.on('exit', (code) => gone(`exited (${code})`));
    return w;
  }

  function send(message: { batch: WriteBatch } | { retention: number }): Promise<Reply> {
    if (closing) return Promise.reject(new Error('the SQLite writer is closed'));
    worker ??= start();
    const id = nextId++;
    const done = new Promise<Reply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.postMessage({ id, ...message });
    return done;
  }

  worker = start(); // at once: a database the thread cannot open shows at start, not at the first record

  return {
    /** Writes a batch in one transaction on the writer thread; per record, whether it was new. */
    write: (batch: WriteBatch): Promise<boolean[]> => send({ batch }).then((r) => r.fresh!),
    /** Deletes what is past its retention, in slices between batches. */
    retention: (now: number): Promise<{ rawDeleted: number; rollupsDeleted: number }> => send({ retention: now }).then((r) => r.retained!),
    async close(): Promise<void> {
      closing = true;
      await logCopy.close();
      const w = worker;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage({ close: true });
      await exited;
    },
  };
}

/**
 * The log-copy thread (wal-copy-thread.ts), started at the first request and again after it failed;
 * `copied` hears when each copy ended (copied or failed). A request while a copy runs is answered by that copy.
 */
function createLogCopyThread(path: string, copied: () => void, log?: (line: string) => void) {
  const script = threadScript(new URL('./wal-copy-thread.ts', import.meta.url), log);
  let worker: Worker | undefined;
  let busy = false;
  let closing = false;

  function start(): Worker {
    const w = new Worker(script, { workerData: { path } });
    w.on('message', (m: { copied: boolean; error?: string }) => {
      busy = false;
      if (m.error !== undefined) log?.(`ingest: copying the SQLite log into the database failed (${m.error}); the writer copies it itself`);
      copied();
    });
    const gone = (why: string) => {
      if (worker === w) worker = undefined;
      if (busy) { busy = false; copied(); }
      if (!closing) log?.(`ingest: the SQLite log-copy thread ${why}; a new one starts with the next copy`);
    };
    w.on('error', (err) => gone(`failed: ${err.message}`));
    w.on('exit', (code) => gone(`exited (${code})`));
    return w;
  }

  return {
    copy(): void {
      if (busy || closing) return;
      busy = true;
      worker ??= start();
      worker.postMessage('copy');
    },
    async close(): Promise<void> {
      closing = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage('close');
      await exited;
    },
  };
}
