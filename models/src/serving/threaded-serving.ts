import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Awaitable } from '@liftwatch/contract';
import { createAlertActions, threadScript } from '@liftwatch/ingest';
import type { HealthService } from '../health/health-service.js';
import type { AlertLike } from '../health/platform-events.js';
import type { LiftRisk } from './lift-risk.js';
import type { PredictedAlertSink } from './predicted-alerts.js';
import type { ModelServing, ModelServingOptions, StoredRow } from './serving.js';
import { FEATURE_STREAMS } from '../features/lift-state.js';
import type { AlertOp, FromServingThread, ServingCall, ServingThreadData, StoredColumns, ToServingThread } from './serving-thread-messages.js';

/** What the platform asks of the model serving, in this thread (serving.ts) or on its own (below). */
export interface ServingPort {
  onStored(rows: readonly StoredRow[]): void;
  replay(liftId: string, rows: ReadonlyArray<{ liftId: string; stream: string; ts: number; rx?: number; record: Record<string, unknown> }>): void;
  scoreAt(liftIds: readonly string[], at: number): Promise<void>;
  onAlertChange(a: AlertLike): void;
  onVisits(visits: ReadonlyArray<{ readonly liftId: string; readonly startedAt: number }>): void;
  replayVisit(liftId: string, startedAt: number): void;
  flush(): Promise<void>;
  checkpoint(): Awaitable<number>;
  lift(liftId: string): Promise<LiftRisk | null>;
  risk(liftId: string): number | null;
  reload(): Promise<string[]>;
  setShadow(id: string, version: string): Promise<void>;
  status(): Awaitable<ReturnType<ModelServing['status']>>;
  metrics(): ReturnType<ModelServing['metrics']>;
  close(): Promise<void>;
}

export interface ThreadedServingDeps {
  /** The node's SQLite file (not an in-memory database: the thread opens it again). */
  readonly db: Database.Database;
  readonly alerts: PredictedAlertSink;
  readonly health?: HealthService;
  /** Lifts with stored records from before the start; absent: every lift catches up from its stored records when first seen. */
  readonly storedBefore?: readonly string[];
  /** The platform's alerts and visits of the health score's window, read at each start of the thread (those of a restart's gap included). */
  readonly events?: () => Promise<{ readonly alerts: readonly AlertLike[]; readonly visits: ReadonlyArray<{ readonly liftId: string; readonly startedAt: number }> }>;
  readonly eventsDays: number;
  readonly log?: (line: string) => void;
}

/** Waits before a thread that stopped is started again, ms: doubled each time, up to a minute. */
const RESTART_MS = [1_000, 60_000] as const;

/**
 * The model serving on a thread of its own (serving-thread.ts). On the event loop it costs a post of
 * each commit's records (bodies as ingest stored them, as columns); the feature states, rescoring,
 * models and health scores run beside it, on the second core, instead of between MQTT messages. The
 * thread posts back predicted alerts (run through alerting here, each lift's in order, retried until
 * stored), health scores (kept by the health service here) and each scored lift's risk (kept here for
 * the riskiest list's sort, which reads every lift). If the thread stops, it is started again and
 * every lift catches up from its checkpoint and its stored records, so no record is missed.
 */
export interface ThreadedServing extends ServingPort {
  /** Stops the thread as a crash would (tests); it is started again as after one. */
  stopThread(): Promise<void>;
  /** Resolves once a thread is serving (after a start again: once it has loaded its models). */
  ready(): Promise<void>;
}

export async function createThreadedServing(o: ModelServingOptions, deps: ThreadedServingDeps): Promise<ThreadedServing> {
  const log = deps.log ?? (() => {});
  const script = threadScript(new URL('./serving-thread.ts', import.meta.url), log);
  const actions = createAlertActions({ log });
  const risks = new Map<string, number>();
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let figures: ReturnType<ModelServing['metrics']> | undefined;
  let nextId = 1;
  let closing = false;
  let restartMs: number = RESTART_MS[0];
  let worker: Worker;
  let started: Promise<void> = Promise.resolve();
  /** A thread is serving: between its 'ready' and its exit. */
  let alive = false;

  async function start(storedBefore: readonly string[] | undefined): Promise<void> {
    const events = await deps.events?.() ?? { alerts: [], visits: [] };
    const data: ServingThreadData = {
      path: deps.db.name, walAutocheckpoint: Number(deps.db.pragma('wal_autocheckpoint', { simple: true })), options: o,
      ...(storedBefore ? { storedBefore } : {}), alerts: events.alerts, visits: events.visits, eventsDays: deps.eventsDays,
    };
    const w = new Worker(script, { workerData: data, name: 'liftwatch-models' });
    worker = w;
    return new Promise<void>((resolve, reject) => {
      w.on('message', (m: FromServingThread) => {
        switch (m.t) {
          case 'ready': restartMs = RESTART_MS[0]; alive = true; return;
          case 'failed': reject(new Error(m.error)); return;
          case 'answer': {
            const c = waiting.get(m.id);
            waiting.delete(m.id);
            if (m.error !== undefined) c?.reject(new Error(m.error)); else c?.resolve(m.value);
            return;
          }
          case 'alert': toAlerting(m.a); return;
          case 'scored':
            for (const h of m.health) deps.health?.recordView(h.view, h.paramsSha256);
            m.liftIds.forEach((id, i) => { const r = m.risks[i]; if (r === null || r === undefined) risks.delete(id); else risks.set(id, r); });
            return;
          // The first figures come right after 'ready': the serving is there once they are.
          case 'metrics': figures = m.value as ReturnType<ModelServing['metrics']>; resolve(); return;
          case 'log': log(m.line);
        }
      });
      w.on('error', (err) => log(`models: the serving thread failed: ${err.stack ?? err.message}`));
      w.on('exit', (code) => {
        if (worker === w) alive = false;
        reject(new Error(`the serving thread exited (${code}) before its models were loaded`));
        for (const [id, c] of waiting) { waiting.delete(id); c.reject(new Error('the serving thread stopped')); }
        if (closing || worker !== w) return;
        log(`models: the serving thread stopped (${code}); started again in ${restartMs / 1000} s, every lift catching up from its stored records`);
        let go = (): void => {};
        started = new Promise<void>((resolve) => { go = resolve; }).then(() => start(undefined)).catch((err: unknown) => log(`models: the serving thread did not start again: ${String(err)}`));
        const t = setTimeout(() => { if (!closing) go(); }, restartMs);
        t.unref();
        restartMs = Math.min(restartMs * 2, RESTART_MS[1]);
      });
    });
  }

  function toAlerting(a: AlertOp): void {
    switch (a.op) {
      case 'raise': actions.run(a.req.liftId, `predicted ${a.req.code} on ${a.req.liftId}`, () => deps.alerts.raise(a.req)); return;
      case 'cleared': actions.run(a.liftId, `predicted ${a.code} cleared on ${a.liftId}`, () => deps.alerts.conditionCleared(a.liftId, a.code, a.note)); return;
      case 'history': {
        const sink = deps.alerts;
        actions.run(a.req.liftId, `predicted ${a.req.code} of the history on ${a.req.liftId}`, () => sink.recordHistory ? sink.recordHistory(a.req) : sink.raise(a.req));
      }
    }
  }

  // While no thread serves (it is being started again) records are not posted: they are stored, and
  // their lifts catch up from the store when the new thread meets them.
  const send = (m: ToServingThread): void => { if (alive && !closing) worker.postMessage(m); };
  async function call<T>(c: ServingCall): Promise<T> {
    if (!alive) await started;
    if (!alive) throw new Error('the model serving thread is not running');
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ t: 'call', id, call: c } satisfies ToServingThread);
    });
  }

  started = start(deps.storedBefore);
  await started;
  deps.health?.attach((liftId, at) => call({ method: 'healthOf', liftId, at }));

  return {
    onStored(rows) {
      let n = 0;
      for (const r of rows) if (FEATURE_STREAMS.has(r.stream)) n++;
      if (n === 0) return;
      const c: StoredColumns = {
        liftIds: new Array<string>(n), streams: new Array<string>(n), ts: new Float64Array(n), rx: new Float64Array(n), seqs: new Float64Array(n),
        lifts: new Int32Array(n), bodies: new Array<string>(n), modes: new Array<string>(n),
      };
      let i = 0;
      for (const r of rows) {
        if (!FEATURE_STREAMS.has(r.stream)) continue;
        c.liftIds[i] = r.liftId; c.streams[i] = r.stream; c.ts[i] = r.ts; c.rx[i] = r.rx ?? r.ts; c.lifts[i] = r.lift ?? -1;
        const record = r.record;
        if (r.stream === 'status' && record !== undefined && typeof record.seq === 'number') {
          c.seqs[i] = record.seq; c.bodies[i] = ''; c.modes[i] = typeof record.serviceMode === 'string' ? record.serviceMode : '';
        } else {
          c.seqs[i] = NaN; c.bodies[i] = r.body ?? JSON.stringify(record); c.modes[i] = '';
        }
        i++;
      }
      send({ t: 'stored', c });
    },
    replay: (liftId, rows) => send({ t: 'replay', liftId, rows }),
    scoreAt: (liftIds, at) => call({ method: 'scoreAt', liftIds, at }),
    onAlertChange: (alert) => send({ t: 'alert', alert }),
    onVisits: (visits) => send({ t: 'visits', visits }),
    replayVisit: (liftId, startedAt) => send({ t: 'replayVisit', liftId, startedAt }),
    flush: () => call({ method: 'flush' }),
    checkpoint: () => call({ method: 'checkpoint' }),
    lift: (liftId) => call({ method: 'lift', liftId }),
    risk: (liftId) => risks.get(liftId) ?? null,
    reload: () => call({ method: 'reload' }),
    setShadow: (id, version) => call({ method: 'setShadow', id, version }),
    status: async () => ({ ...await call<ReturnType<ModelServing['status']>>({ method: 'status' }), health: deps.health?.distribution() ?? null }),
    metrics: () => ({ ...figures!, health: deps.health?.distribution() }),
    async stopThread() {
      const w = worker;
      await w.terminate();
    },
    ready: () => started,
    async close() {
      if (closing) return;
      closing = true; // from here on, the thread's exit is no reason to start it again
      const w = worker;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      try { await call({ method: 'close' }); } catch (err) { log(`models: closing the serving thread: ${String(err)}`); }
      await exited;
      await actions.drain(5_000);
    },
  };
}
