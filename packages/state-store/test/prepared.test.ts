import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { openStateStore } from '../src/index.js';
import { fastOr, prepared } from '../src/prepared.js';

const dir = tempDir('liftwatch-state-prepared-');
afterAll(() => dir.remove());

const evidence = (liftId: string, seq: number) => ({ liftId, stream: 'alarm', seq, ts: 1, values: { alarm: 'entrapment' } });

describe('statements compiled once and run prepared on SQLite', () => {
  it('bind each slot to the value of its name at every run, and keep the constants of the query', async () => {
    const conn = new Database(':memory:');
    conn.exec(`CREATE TABLE t (a TEXT, b INTEGER, c TEXT)`);
    conn.exec(`INSERT INTO t VALUES ('x', 1, 'open'), ('x', 2, 'closed'), ('y', 3, 'open')`);
    const db = new Kysely<{ t: { a: string; b: number; c: string } }>({ dialect: new SqliteDialect({ database: conn }) });
    try {
      const q = prepared<{ a: string; min: number }, { b: number }>(conn, (slot) => db.selectFrom('t').select('b').where('a', '=', slot.a).where('b', '>=', slot.min).where('c', '=', 'open').orderBy('b'));
      expect(q.all({ a: 'x', min: 0 })).toEqual([{ b: 1 }]);
      expect(q.all({ a: 'y', min: 0 })).toEqual([{ b: 3 }]);
      expect(q.first({ a: 'y', min: 4 })).toBeUndefined();
      const insert = prepared<{ a: string; b: number }, never>(conn, (slot) => db.insertInto('t').values({ a: slot.a, b: slot.b, c: 'open' }));
      expect(insert.run({ a: 'z', b: 9 })).toEqual({ changes: 1, lastInsertRowid: 4 });
      expect(q.all({ a: 'z', min: 9 })).toEqual([{ b: 9 }]);
    } finally {
      await db.destroy();
    }
  });

  it('of a P1 raised while a transaction of the store is open on the shared connection: the raise waits for its commit, and is kept when it rolls back', async () => {
    const file = join(dir.path, 'shared.db');
    const conn = new Database(file);
    conn.pragma('journal_mode = WAL');
    const s = await openStateStore({ url: `sqlite:${file}`, connection: conn });
    try {
      let release!: () => void;
      let wrote!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      const written = new Promise<void>((r) => { wrote = r; });
      // A transaction that is still open when the raise comes, and then fails.
      const failing = s.db.transaction().execute(async (trx) => {
        await trx.insertInto('crew_orgs').values({ id: 'MU-ROLLED-BACK', kind: 'maintenanceUnit', name: 'x', roles_json: '{}' }).execute();
        wrote();
        await held;
        throw new Error('refused after its first write');
      });
      await written;
      const raise = s.alerts.raise({ liftId: 'L-1', code: 'E01', severity: 'P1', reason: 'trapped', at: Date.now(), evidence: evidence('L-1', 1) });
      expect(conn.inTransaction).toBe(true);
      release();
      await expect(failing).rejects.toThrow(/refused after its first write/);
      expect(await raise).toEqual({ alertId: 1, created: true, counted: true });
      expect(await s.alerts.get(1)).toMatchObject({ liftId: 'L-1', state: 'open', occurrences: 1 });
      expect(await s.crew.getOrg('MU-ROLLED-BACK')).toBeUndefined();
    } finally {
      await s.close();
      conn.close();
    }
  });

  it('of a raise while another connection holds the write lock: it waits for the lock on the Kysely path, then counts as one raise', async () => {
    const file = join(dir.path, 'busy.db');
    const s = await openStateStore({ url: `sqlite:${file}` });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const raise = s.alerts.raise({ liftId: 'L-2', code: 'E01', severity: 'P1', reason: 'trapped', at: Date.now(), evidence: evidence('L-2', 1) });
      await new Promise((r) => setTimeout(r, 20));
      other.exec('COMMIT');
      expect(await raise).toEqual({ alertId: 1, created: true, counted: true });
      expect(await s.alerts.raise({ liftId: 'L-2', code: 'E01', severity: 'P1', reason: 'again', at: Date.now(), evidence: evidence('L-2', 2) })).toEqual({ alertId: 1, created: false, counted: true });
      expect((await s.alerts.get(1))?.occurrences).toBe(2);
    } finally {
      other.close();
      await s.close();
    }
  });

  it('write the outcomes and escalation lines of one turn together after it, and a refused one fails only its own caller', async () => {
    const file = join(dir.path, 'group.db');
    const conn = new Database(file);
    conn.pragma('foreign_keys = ON');
    const s = await openStateStore({ url: `sqlite:${file}`, connection: conn });
    try {
      const { alertId } = await s.alerts.raise({ liftId: 'L-3', code: 'E01', severity: 'P1', reason: 'trapped', at: 1000, evidence: evidence('L-3', 1) });
      const attempt = (jobId: string, outcome: 'sending' | 'sent') => ({ alertId, jobId, cause: 'on call', recipientId: 'crewA', channel: 'webhook', attempt: 1, at: 2000, outcome, detail: outcome });
      const count = () => (conn.prepare('SELECT COUNT(*) AS n FROM notification_attempts').get() as { n: number }).n;
      await s.notifications.record(attempt('j0', 'sending'));
      expect(count()).toBe(1); // on disk before the send
      const writes = [
        s.notifications.record(attempt('j1', 'sent')),
        s.notifications.record(attempt('j2', 'sent')),
        s.alerts.commitLines(alertId, { audit: [{ at: 2000, action: 'policy', actor: 'system', note: 'p1-entrapment' }], attempts: [], planned: 2000 }),
        s.alerts.commitLines(alertId + 99, { audit: [{ at: 2000, action: 'notified', actor: 'system', note: 'no such alert' }], attempts: [] }),
      ];
      expect(count()).toBe(1); // the turn's writes wait for its end
      const settled = await Promise.allSettled(writes);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(count()).toBe(3);
      expect((await s.alerts.detail(alertId, 10))?.audit.map((a) => a.action)).toEqual(['opened', 'policy']);
      expect(await s.alerts.unscheduled()).toEqual([]);
    } finally {
      await s.close();
      conn.close();
    }
  });

  it('fastOr takes the slow path without a SQLite connection, and rejects with the error of a statement that fails for another reason', async () => {
    expect(await fastOr(undefined, () => 'fast', () => Promise.resolve('slow'))).toBe('slow');
    const conn = new Database(':memory:');
    const hot = { sqlite: conn };
    expect(await fastOr(hot, () => 'fast', () => Promise.resolve('slow'))).toBe('fast');
    await expect(fastOr(hot, () => conn.prepare('SELECT * FROM missing').all(), () => Promise.resolve([]))).rejects.toThrow(/no such table: missing/);
    conn.close();
  });
});
