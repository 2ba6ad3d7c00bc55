import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { threadScript } from '@liftwatch/ingest';
import type { SavedFeatureState } from '../features/state-codec.js';
import { postedStates } from './feature-state-rows.js';
import { featureStateReader, type FeatureStatePort } from './feature-states.js';

export interface ThreadedFeatureStatePort extends FeatureStatePort {
  /** Resolves once every state saved so far is written, or its write failed (then it is kept for the next save). */
  settled(): Promise<void>;
  /** Writes what is left (failed writes tried once more) and stops the thread. */
  close(): Promise<void>;
}

type Entries = ReadonlyArray<readonly [string, SavedFeatureState]>;

/** Largest slab kept for the next slice, bytes: a slice of 500 states is about 1.2 MB; a save of every state at once is not kept. */
const KEEP_SLAB_BYTES = 8 * 2 ** 20;

/**
 * Feature-state checkpoints written on a thread of their own (feature-state-thread.ts) into the
 * node's SQLite file. A checkpoint of 150,000 lifts writes 350 MB in slices of 2,000 states; on the
 * event loop each slice held every MQTT client, ingest and alert for 50-150 ms. Here the event loop
 * only copies the blocks (saveState) and posts them. Until a state is written, a lift loaded again
 * gets it from memory (never an older row); a write that fails keeps its states, sent again with
 * the next save (a checkpoint every few minutes, and at close), and is logged.
 *
 * A slice's states are copied into one slab shared with the thread (posting it copies nothing), which
 * the next slice uses again once the thread wrote it. With a copy of each state posted, each copied
 * again on the thread, a checkpoint during a city's run left some 64 MiB of dead copies on each
 * thread until V8 collected them (and about 150 MiB at close).
 */
export function threadedFeatureStates(db: Database.Database, log: (line: string) => void = () => {}): ThreadedFeatureStatePort {
  const reader = featureStateReader(db);
  /** Saved states not written yet, the newest per lift. */
  const unwritten = new Map<string, SavedFeatureState>();
  /** States whose write failed, sent again with the next save. */
  const failed = new Map<string, SavedFeatureState>();
  const waiting = new Map<number, { entries: Entries; slab: SharedArrayBuffer; done: () => void }>();
  /** Slabs the thread is done with, for the next slices. */
  const slabs: SharedArrayBuffer[] = [];
  let nextId = 1;
  let worker: Worker | undefined;
  let closed = false;
  // Plain JavaScript, built once from the thread's TypeScript: no TypeScript loader on the thread.
  const script = threadScript(new URL('./feature-state-thread.ts', import.meta.url), log);

  function settle(id: number, error: string | undefined): void {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    for (const [liftId, s] of w.entries) {
      if (unwritten.get(liftId) !== s) continue; // a newer save of the lift is on its way
      if (error === undefined) { unwritten.delete(liftId); continue; }
      const kept = { ...s, block: s.block.slice() }; // out of the slab, which the next slice writes over
      unwritten.set(liftId, kept);
      failed.set(liftId, kept);
    }
    if (w.slab.byteLength <= KEEP_SLAB_BYTES && slabs.length < 2) slabs.push(w.slab);
    if (error !== undefined) log(`models: ${w.entries.length} feature states not written (${error}); they are written with the next checkpoint`);
    w.done();
  }

  function start(): Worker {
    const walAutocheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
    const w = new Worker(script, { workerData: { path: db.name, walAutocheckpoint } });
    w.on('message', (m: { id: number; error?: string }) => settle(m.id, m.error));
    const gone = (why: string) => {
      if (worker === w) worker = undefined;
      for (const id of [...waiting.keys()]) settle(id, `the feature-state writer thread ${why}`);
    };
    w.on('error', (err) => gone(`failed: ${err.message}`));
    w.on('exit', (code) => gone(`exited (${code})`));
    return w;
  }

  /** The entries with their blocks copied into one slab, a free one when it is large enough. */
  function inSlab(entries: Entries): { slab: SharedArrayBuffer; entries: Entries } {
    const bytes = entries.reduce((n, [, s]) => n + s.block.byteLength, 0);
    const i = slabs.findIndex((slab) => slab.byteLength >= bytes);
    const slab = i >= 0 ? slabs.splice(i, 1)[0]! : new SharedArrayBuffer(bytes);
    let at = 0;
    const copied = entries.map(([liftId, s]) => {
      const block = new Uint8Array(slab, at, s.block.byteLength);
      block.set(s.block);
      at += s.block.byteLength;
      return [liftId, { ...s, block }] as const;
    });
    return { slab, entries: copied };
  }

  function post(entries: Entries): void {
    if (entries.length === 0) return;
    worker ??= start();
    const id = nextId++;
    const { slab, entries: shared } = inSlab(entries);
    for (const [liftId, s] of shared) unwritten.set(liftId, s);
    waiting.set(id, { entries: shared, slab, done: () => {} });
    worker.postMessage(postedStates(id, Date.now(), shared));
  }

  function settled(): Promise<void> {
    return Promise.all([...waiting.values()].map((w) => new Promise<void>((resolve) => {
      const before = w.done;
      w.done = () => { before(); resolve(); };
    }))).then(() => undefined);
  }

  return {
    load: (liftId) => unwritten.get(liftId) ?? reader.load(liftId),
    save(entries) {
      if (closed) throw new Error('the feature-state writer is closed');
      const newer = new Set(entries.map(([liftId]) => liftId));
      const again = [...failed].filter(([liftId]) => !newer.has(liftId));
      failed.clear();
      const all = [...again, ...entries];
      if (all.length > 0) reader.saved();
      post(all);
    },
    settled,
    async close() {
      await settled();
      if (failed.size > 0) {
        const again = [...failed];
        failed.clear();
        post(again);
        await settled();
      }
      closed = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage({ close: true });
      await exited;
    },
  };
}
