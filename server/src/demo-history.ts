import type Database from 'better-sqlite3';
import { ensureNodeTable } from '@liftwatch/state-store';
import type { LiftRecord } from '@liftwatch/contract';
import { demoLift, loadMix, type DemoLift, type LiftSim, type ScenarioMix } from '@liftwatch/simulator';
import { createHistoryWriter, type HistoryStore, type HistoryVisits } from './demo-history-writer.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Lifts simulated side by side: scored together at each step (one model run per step for all of them). */
const GROUP = 20;
/** Simulated hours between two scorings of a lift during its history (a predicted alert must persist, e.g. 12 h). */
const SCORE_EVERY_H = 6;

/** Fault prediction, as the history feeds it: features first, then scoring at simulated times. */
export interface HistoryModels {
  /** Adds records to a lift's feature state only (no scoring). */
  replay?(liftId: string, rows: ReadonlyArray<{ liftId: string; stream: string; ts: number; record: Record<string, unknown> }>): void;
  /** Scores the lifts as of simulated time `at` (predicted alerts, risk trend and health at `at`). */
  scoreAt?(liftIds: readonly string[], at: number): Promise<unknown>;
  /** A maintenance visit of the history, as it happens in simulated time (the health score's maintenance part). */
  replayVisit?(liftId: string, startedAt: number): void;
  /** Ingest's hook: what is used when `replay` is not there. */
  onStored(rows: ReadonlyArray<{ liftId: string; stream: string; ts: number; record: Record<string, unknown> }>): void;
}

export interface DemoHistoryOptions {
  readonly liftIds: readonly string[];
  /** A mix's name or path (loadMix). */
  readonly mix: string;
  readonly seed: number;
  /** Days of history per lift; 0: none, the lifts start now. */
  readonly days: number;
  /** The history stops this long before now; the lifts live through it fast (the fleet's speed). */
  readonly fastMs: number;
}

export interface DemoHistoryDeps {
  /** The node's SQLite file: which lifts have their history (table demo_history). */
  readonly db: Database.Database;
  /** Where records go; without it (InfluxDB, a node without ingest) the lifts start without a stored history. */
  readonly store: HistoryStore | undefined;
  readonly models: HistoryModels | undefined;
  readonly visits: HistoryVisits | undefined;
  /** The newest stored record of a lift (where a restarted lift goes on from). */
  readonly latestTs: (liftId: string) => Promise<number | undefined>;
  /** A lift is ready to go on live. */
  readonly ready: (liftId: string, sim: LiftSim, boot: readonly LiftRecord[]) => void;
  readonly log: (line: string) => void;
  readonly now?: () => number;
}

interface Marker { lift_id: string; end_ms: number; days: number; done_at: number | null }

/**
 * The demo fleet's history (`--simulate N`): at first start each simulated lift is a lift of a
 * scenario mix (a realistic share of them degrading) whose last `days` are simulated fast and written
 * to the store, and fed to fault prediction in time order, scored every 6 simulated hours, so grades,
 * charts, risk trends and predicted alerts are there at once. The most degrading lifts come first, in
 * groups; each lift goes on live (`ready`) as soon as its history is written. At a later start the
 * histories are simulated again without writing (the same lifts, deterministic) up to each lift's
 * newest stored record, and the lifts go on from there. The table demo_history says which are done.
 */
export function startDemoHistory(o: DemoHistoryOptions, deps: DemoHistoryDeps): { done: Promise<void>; written(): number; stop(): void } {
  const now = deps.now ?? Date.now;
  const mix = loadMix(o.mix);
  ensureNodeTable(deps.db, 'demo_history');
  const markers = new Map(deps.db.prepare<[], Marker>('SELECT lift_id, end_ms, days, done_at FROM demo_history').all().map((m) => [m.lift_id, m]));
  const mark = deps.db.prepare('INSERT OR IGNORE INTO demo_history (lift_id, mix, seed, end_ms, days) VALUES (?, ?, ?, ?, ?)');
  const finish = deps.db.prepare('UPDATE demo_history SET done_at = ? WHERE lift_id = ?');
  let stopped = false;
  let written = 0;

  const index = new Map(o.liftIds.map((id, i) => [id, i]));
  const lift = (liftId: string, endMs: number, days: number) => demoLift(mix, o.seed, index.get(liftId)!, { liftId, endMs, days });
  const done = [...markers.values()].filter((m) => m.done_at !== null && index.has(m.lift_id));
  const todo = o.liftIds.filter((id) => markers.get(id)?.done_at == null);

  async function run(): Promise<void> {
    for (const m of done) {
      if (stopped) return;
      await restore(lift(m.lift_id, m.end_ms, m.days));
    }
    const started = now();
    const ordered = orderByDegradation(mix, o, todo, now() - o.fastMs);
    for (let i = 0; i < ordered.length && !stopped; i += GROUP) {
      const endMs = now() - o.fastMs;
      const group = ordered.slice(i, i + GROUP).map((id) => {
        const m = markers.get(id);
        return m ? lift(id, m.end_ms, m.days) : lift(id, endMs, o.days);
      });
      for (const l of group) mark.run(l.liftId, mix.name, o.seed, l.endMs, o.days);
      await fill(group);
      deps.log(`liftwatch: demo history: ${written} of ${o.liftIds.length} simulated lifts have ${o.days} days of history (${((now() - started) / 1000).toFixed(1)} s)`);
    }
  }

  /** Simulates a group side by side, feeding and scoring them step by step, then writes each and lets it go live. */
  async function fill(group: DemoLift[]): Promise<void> {
    const writers = group.map((l) => createHistoryWriter(l.liftId, l.endMs));
    const hours = group.map((l) => l.history());
    const start = Math.min(...group.map((l) => l.startMs));
    for (let step = 0, t = start; group.some((l) => l.sim.now() < l.endMs); step++) {
      if (stopped) return;
      t += SCORE_EVERY_H * HOUR_MS;
      group.forEach((l, k) => {
        while (l.sim.now() < Math.min(t, l.endMs)) {
          const next = hours[k]!.next();
          if (next.done === true) break;
          writers[k]!.add(next.value);
          feed(l.liftId, next.value.records);
          for (const t of next.value.truth) if (t.type === 'maintenance') deps.models?.replayVisit?.(l.liftId, t.ts);
        }
      });
      if (o.days > 0) await deps.models?.scoreAt?.(group.map((l) => l.liftId), Math.min(t, Math.max(...group.map((l) => l.endMs))));
      if (step % 4 === 3) await new Promise((r) => setImmediate(r)); // a simulated day at a time: the node stays responsive
    }
    for (const [k, l] of group.entries()) {
      if (stopped) return;
      await writers[k]!.flush(deps.store, deps.visits, 'simulated crew');
      finish.run(now(), l.liftId);
      written++;
      deps.ready(l.liftId, l.sim, bootOf(l));
    }
  }

  function feed(liftId: string, records: readonly LiftRecord[]): void {
    if (!deps.models || records.length === 0) return;
    const rows = records.map((r) => ({ liftId, stream: r.stream, ts: r.record.ts, record: r.record as unknown as Record<string, unknown> }));
    if (deps.models.replay) deps.models.replay(liftId, rows);
    else deps.models.onStored(rows);
  }

  /** A lift whose history was written before: simulated again silently up to its newest stored record, then live. */
  async function restore(l: DemoLift): Promise<void> {
    for (const _ of l.history()) if (stopped) return;
    const last = await deps.latestTs(l.liftId);
    if (last !== undefined && last > l.sim.now()) {
      for (let t = l.sim.now(); t < last; t = Math.min(last, t + DAY_MS)) {
        l.sim.advanceTo(Math.min(last, t + DAY_MS));
        await new Promise((r) => setImmediate(r));
      }
    }
    deps.ready(l.liftId, l.sim, bootOf(l));
  }

  const running = run().catch((err: unknown) => deps.log(`liftwatch: demo history stopped: ${String(err)}`));
  return { done: running, written: () => written, stop: () => { stopped = true; } };
}

/** What a lift's terminal sends first when it goes live: its registry record. */
const bootOf = (l: DemoLift): LiftRecord[] => { const r = l.registry(); return r ? [r] : []; };

/** The lifts whose worst fault is closest to failing at the end of the history first, healthy ones last. */
function orderByDegradation(mix: ScenarioMix, o: DemoHistoryOptions, liftIds: readonly string[], endMs: number): string[] {
  const soon = new Map(liftIds.map((id) => {
    const f = demoLift(mix, o.seed, o.liftIds.indexOf(id), { liftId: id, endMs, days: Math.max(o.days, 1) }).failsInDays;
    return [id, f === null ? Infinity : Math.abs(f)];
  }));
  return [...liftIds].sort((a, b) => soon.get(a)! - soon.get(b)!);
}
