// The model serving on a thread of its own (threaded-serving.ts starts it): each lift's streaming
// feature state, the rescoring rounds, the models and the health scores, with their SQLite tables on
// a connection of this thread. The event loop posts the stored records, the platform's alert changes
// and visits, and calls; this thread posts back predicted alerts for alerting, health scores for the
// health service, each scored lift's risk and the serving's figures.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { HealthView } from '@liftwatch/contract';
import type { HealthScore } from '../health/health.js';
import { healthView } from '../health/health-service.js';
import { createPlatformEvents } from '../health/platform-events.js';
import type { RecordReader } from '../health/recompute.js';
import { sqliteAlertStates } from './alert-states.js';
import { sqliteFeatureStates } from './feature-states.js';
import { sqliteHeldRaises } from './held-raises.js';
import { sqliteRiskTrend } from './risk-trend.js';
import { createModelServing, type ModelServing, type StoredRow } from './serving.js';
import { createLiftNumbers, grown } from './lift-numbers.js';
import type { AlertOp, FromServingThread, ServingCall, StoredColumns, ToServingThread } from './serving-thread-messages.js';
import type { ServingThreadData } from './serving-thread-messages.js';

const DAY = 86_400_000;
/** How often the serving's figures (/metrics) are posted, ms. */
const METRICS_MS = 1_000;

const port = parentPort!;
const data = workerData as ServingThreadData;
const post = (m: FromServingThread): void => port.postMessage(m);
const log = (line: string): void => post({ t: 'log', line });

const db = new Database(data.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// A wait here holds this thread only, never the event loop that ingests.
db.pragma('busy_timeout = 5000');
db.pragma(`wal_autocheckpoint = ${data.walAutocheckpoint}`);

/** The stored records a lift catches up from when this thread first meets it (the records table of ingest's SQLite store). */
function storedRecords(): RecordReader {
  const recent = db.prepare<[string, string, number, number], { ts: number; rx_ts: number; body: string }>(
    'SELECT ts, rx_ts, body FROM records WHERE lift_id = ? AND stream = ? AND ts >= ? ORDER BY ts DESC, seq DESC LIMIT ?');
  return {
    recent: async (liftId, opts) => recent.all(liftId, opts.stream ?? 'trip', Math.max(opts.fromTs ?? -Number.MAX_VALUE, -Number.MAX_VALUE), opts.limit)
      .map((r) => ({ ts: r.ts, rx: r.rx_ts, record: JSON.parse(r.body) as Record<string, unknown> })),
  };
}

/** Health scores and scored lifts of this turn, posted together once the turn ends. */
let health: Array<{ view: HealthView; paramsSha256: string }> = [];
let scored: string[] = [];
let pending = false;
let serving: ModelServing | undefined;
function later(): void {
  if (pending) return;
  pending = true;
  setImmediate(postScored);
}
function postScored(): void {
  if (!pending) return;
  pending = false;
  const liftIds = scored;
  post({ t: 'scored', health, liftIds, risks: liftIds.map((id) => serving?.risk(id) ?? null) });
  health = [];
  scored = [];
}
const alert = (a: AlertOp): void => post({ t: 'alert', a });

let healthOf: ((liftId: string, at: number) => HealthScore | undefined) | undefined;
const events = createPlatformEvents({ keepDays: data.eventsDays });
for (const a of data.alerts) events.alert(a);
for (const v of data.visits) events.visit(v.liftId, v.startedAt);
const known = data.storedBefore === undefined ? undefined : new Set(data.storedBefore);

/** The lifts' numbers on this thread, by which the serving keeps what it keeps of each. */
const lifts = createLiftNumbers();
/** This thread's number of each lift, by its number in ingest's lift table (-1: not met yet). */
let ours = new Int32Array(0);

/**
 * Rows of the commit's columns, for the serving's onStored (it parses each body it needs), each with
 * this thread's number of its lift: found by ingest's number and one comparison of ids, not by
 * hashing the id (a new string on this thread) in a map of every lift.
 */
function rowsOf(c: StoredColumns): StoredRow[] {
  const rows = new Array<StoredRow>(c.liftIds.length);
  for (let i = 0; i < rows.length; i++) {
    const liftId = c.liftIds[i]!;
    const theirs = c.lifts[i]!;
    let lift: number | undefined;
    if (theirs >= 0) {
      if (theirs >= ours.length) ours = grown(ours, theirs + 1, -1);
      lift = ours[theirs]!;
      if (lift < 0 || !lifts.is!(lift, liftId)) ours[theirs] = lift = lifts.numberOf(liftId);
    }
    const stream = c.streams[i]!;
    const ts = c.ts[i]!;
    const body = c.bodies[i]!;
    rows[i] = body === '' && stream === 'status'
      ? { liftId, stream, ts, rx: c.rx[i]!, record: c.modes[i] === '' ? { ts, seq: c.seqs[i]! } : { ts, seq: c.seqs[i]!, serviceMode: c.modes[i]! }, ...(lift === undefined ? {} : { lift }) }
      : { liftId, stream, ts, rx: c.rx[i]!, body, ...(lift === undefined ? {} : { lift }) };
  }
  return rows;
}

async function answer(s: ModelServing, call: ServingCall): Promise<unknown> {
  switch (call.method) {
    case 'scoreAt': return s.scoreAt(call.liftIds, call.at);
    case 'flush': return s.flush();
    case 'tick': return s.tick();
    case 'checkpoint': return s.checkpoint();
    case 'reload': return s.reload();
    case 'status': return s.status();
    case 'lift': return s.lift(call.liftId);
    case 'healthOf': return healthOf?.(call.liftId, call.at);
    case 'setShadow': return s.setShadow(call.id, call.version);
    case 'close': {
      clearInterval(metrics);
      clearInterval(prune);
      await s.close();
      db.close();
      return undefined;
    }
  }
}

// Messages that arrive while the models load wait for them, in order.
const early: ToServingThread[] = [];
function handle(s: ModelServing, m: ToServingThread): void {
  switch (m.t) {
    case 'stored': s.onStored(rowsOf(m.c)); return;
    case 'replay': s.replay(m.liftId, m.rows); return;
    case 'alert': s.onAlertChange(m.alert); return;
    case 'visits': s.onVisits(m.visits); return;
    case 'replayVisit': s.replayVisit(m.liftId, m.startedAt); return;
    case 'call':
      answer(s, m.call).then((value) => {
        postScored(); // what the call scored is known on the event loop before its answer
        post({ t: 'answer', id: m.id, value });
        if (m.call.method === 'close') port.close();
      }, (err: unknown) => post({ t: 'answer', id: m.id, error: err instanceof Error ? err.message : String(err) }));
  }
}
port.on('message', (m: ToServingThread) => {
  if (serving === undefined) early.push(m);
  else handle(serving, m);
});

const metrics = setInterval(() => { if (serving) post({ t: 'metrics', value: serving.metrics() }); }, METRICS_MS);
const prune = setInterval(() => events.prune(Date.now()), DAY);

try {
  serving = await createModelServing(data.options, {
    store: storedRecords(), events, log,
    alerts: {
      raise: (req) => alert({ op: 'raise', req }),
      conditionCleared: (liftId, code, note) => alert({ op: 'cleared', liftId, code, note }),
      recordHistory: (req) => alert({ op: 'history', req }),
    },
    health: {
      // The view the API shows is made here: smaller to post than the score with every detail.
      record: (h) => { health.push({ view: healthView(h), paramsSha256: h.paramsSha256 }); later(); },
      attach: (fn) => { healthOf = fn; },
    },
    onScored: (liftIds) => { for (const id of liftIds) scored.push(id); later(); },
    liftNumbers: lifts, featureStates: sqliteFeatureStates(db), alertStates: sqliteAlertStates(db), heldRaises: sqliteHeldRaises(db), riskTrend: sqliteRiskTrend(db),
    ...(known ? { storedBefore: (liftId: string) => known.has(liftId) } : {}),
  });
  post({ t: 'ready' });
  post({ t: 'metrics', value: serving.metrics() });
  for (const m of early.splice(0)) handle(serving, m);
} catch (err) {
  post({ t: 'failed', error: err instanceof Error ? err.message : String(err) });
  clearInterval(metrics);
  clearInterval(prune);
  db.close();
  port.close();
}
