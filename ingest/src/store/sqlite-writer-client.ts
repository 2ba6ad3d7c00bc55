import { Worker } from 'node:worker_threads';
import type { RetentionConfig } from './sqlite-telemetry.js';
import type { WriteBatch } from './sqlite-writer.js';

/** Writes batches on the writer thread (sqlite-writer-thread.ts); one client per database file. */
export function createThreadedSqliteWriter(path: string, telemetry: RetentionConfig | false, log?: (line: string) => void) {
  const waiting = new Map<number, { resolve: (fresh: boolean[]) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let worker: Worker | undefined;
  let closing = false;

  function start(): Worker {
    // The thread registers tsx first: it runs TypeScript, as the process itself does.
    const w = new Worker(new URL('./sqlite-writer-thread.mjs', import.meta.url), { workerData: { path, telemetry } });
    w.on('message', (m: { id: number; fresh?: boolean[]; error?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.fresh!);
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

  worker = start(); // at once: a database the thread cannot open shows at start, not at the first record

  return {
    /** Writes a batch in one transaction on the writer thread; per record, whether it was new. */
    write(batch: WriteBatch): Promise<boolean[]> {
      if (closing) return Promise.reject(new Error('the SQLite writer is closed'));
      worker ??= start();
      const id = nextId++;
      const done = new Promise<boolean[]>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ id, batch });
      return done;
    },
    async close(): Promise<void> {
      closing = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage({ close: true });
      await exited;
    },
  };
}
