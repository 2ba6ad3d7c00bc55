import type Database from 'better-sqlite3';

/** Adds a write to the group of this turn; resolves once its transaction committed. `slow`: the same write alone on the Kysely path. */
export type TurnGroup = (write: () => void, slow: () => Promise<void>) => Promise<void>;

interface Waiting { write: () => void; slow: () => Promise<void>; resolve: () => void; reject: (err: unknown) => void }

/**
 * Writes nobody waits for before a notification leaves (its outcome, an escalation's audit lines),
 * asked for during one turn of the event loop and committed together after it (setImmediate) in one
 * SQLite transaction: with synchronous=FULL one fsync for all of them, so a burst of P1 alerts
 * writes them in a few commits instead of one each. Each write's promise resolves once its
 * transaction committed, as if it had its own. When the group fails (a write refused, the lock held
 * by another connection), each write runs again alone on the Kysely path, so one bad write fails only
 * its own caller. While a Kysely transaction is open on the connection the group waits for the next
 * turn (a write now would join that transaction).
 */
export function turnGroup(sqlite: Database.Database): TurnGroup {
  let waiting: Waiting[] = [];
  let scheduled = false;
  const commitAll = sqlite.transaction((group: readonly Waiting[]) => { for (const w of group) w.write(); });
  const flush = () => {
    if (sqlite.open && sqlite.inTransaction) {
      setImmediate(flush);
      return;
    }
    scheduled = false;
    const group = waiting;
    waiting = [];
    try {
      commitAll(group);
    } catch {
      for (const w of group) w.slow().then(w.resolve, w.reject);
      return;
    }
    for (const w of group) w.resolve();
  };
  return (write, slow) => new Promise<void>((resolve, reject) => {
    waiting.push({ write, slow, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}
