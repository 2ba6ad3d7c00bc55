import type Database from 'better-sqlite3';
import { ensureNodeTable } from '@liftwatch/state-store';
import type { AlertActions, PredictedAlertSink, PredictedRaise } from './predicted-alerts.js';

/** A raise held back: the request and the record time it was raised at. */
export interface HeldRaise { readonly req: PredictedRaise; readonly at: number }

/** Where raises held back are kept, so that a restart neither forgets one nor leaves its alert unopened. */
export interface HeldRaisePort {
  load(): Iterable<HeldRaise>;
  /** One lift's raise of one code held (or, undefined, no longer held). */
  save(liftId: string, code: string, held: HeldRaise | undefined): void;
}

/** Held raises in the node's SQLite file, table `model_held_raises`. */
export function sqliteHeldRaises(db: Database.Database): HeldRaisePort {
  ensureNodeTable(db, 'model_held_raises');
  const all = db.prepare<[], { at: number; req: string }>('SELECT at, req FROM model_held_raises');
  const put = db.prepare('INSERT OR REPLACE INTO model_held_raises (lift_id, code, at, req) VALUES (?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM model_held_raises WHERE lift_id = ? AND code = ?');
  return {
    load: () => all.all().map((r) => ({ at: r.at, req: JSON.parse(r.req) as PredictedRaise })),
    save(liftId, code, held) {
      if (held === undefined) del.run(liftId, code);
      else put.run(liftId, code, held.at, JSON.stringify(held.req));
    },
  };
}

/**
 * Raises from records older than `staleMs` when scored (a replay, a catch-up) are held back: one that
 * clears while held is history, kept closed with its real times (sink.recordHistory) and never notified;
 * one still raised when its lift is next scored at a recent time opens then, with when it began.
 */
export function createHeldRaises(sink: PredictedAlertSink, actions: AlertActions, o: { staleMs: number; now: () => number; store?: HeldRaisePort }) {
  const held = new Map<string, Map<string, HeldRaise>>();
  for (const h of o.store?.load() ?? []) (held.get(h.req.liftId) ?? held.set(h.req.liftId, new Map()).get(h.req.liftId)!).set(h.req.code, h);
  const stale = (at: number) => o.now() - at > o.staleMs;
  return {
    /** True when the raise is held back (its records are stale). */
    hold(req: PredictedRaise, at: number): boolean {
      if (!stale(at) || sink.recordHistory === undefined) return false;
      const lift = held.get(req.liftId) ?? held.set(req.liftId, new Map()).get(req.liftId)!;
      lift.set(req.code, { req, at });
      o.store?.save(req.liftId, req.code, { req, at });
      return true;
    },
    /** True when the clear ends a held raise: both were history. */
    cleared(liftId: string, code: string, at: number, note: string): boolean {
      const h = held.get(liftId)?.get(code);
      if (h === undefined) return false;
      held.get(liftId)!.delete(code);
      if (held.get(liftId)!.size === 0) held.delete(liftId);
      o.store?.save(liftId, code, undefined);
      actions.run(liftId, `predicted ${code} on ${liftId} in history`, () => sink.recordHistory!({ ...h.req, openedAt: h.at, clearedAt: at, clearNote: note }));
      return true;
    },
    scored(liftId: string, at: number): void {
      const lift = held.get(liftId);
      if (lift === undefined || stale(at)) return;
      held.delete(liftId);
      for (const [code, h] of lift) {
        const req = { ...h.req, beganAt: h.at, reason: `${h.req.reason}; the condition began ${new Date(h.at).toISOString()}, in records scored late` };
        o.store?.save(liftId, code, undefined);
        actions.run(liftId, `predicted ${code} on ${liftId}`, () => sink.raise(req));
      }
    },
    size: () => [...held.values()].reduce((n, m) => n + m.size, 0),
  };
}
