import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { tempDir } from '@liftwatch/test-kit';
import { openStateStore } from '../src/index.js';

const dir = tempDir('liftwatch-state-aio-');
afterAll(() => dir.remove());

/** A database file as the all-in-one wrote it before the state store (test/fixtures/all-in-one-v0.sql). */
function allInOneV0(file: string): void {
  const db = new Database(file);
  db.exec(readFileSync(new URL('./fixtures/all-in-one-v0.sql', import.meta.url), 'utf8'));
  db.close();
}

describe('the all-in-one database', () => {
  it('made by the version before the state store is adopted: every row reads as it was, and new rows follow the old ids', async () => {
    const file = join(dir.path, 'v0.db');
    allInOneV0(file);
    const s = await openStateStore({ url: `sqlite:${file}` });
    try {
      expect((await s.users.get('admin'))?.passwordHash).toMatch(/^scrypt\$/);
      expect(await s.users.get('li.na')).toMatchObject({ role: 'crew', orgId: 'MU-OLD', mustChangePassword: false });
      const [alert] = await s.alerts.list({ liftId: 'OLD-1', limit: 10 });
      expect(alert).toMatchObject({ id: 1, code: 'E01', severity: 'P1', state: 'acknowledged', assignee: 'admin' });
      expect((await s.alerts.detail(1, 10))?.audit.map((a) => a.action)).toEqual(['opened', 'notified', 'policy', 'acknowledged']);
      expect(await s.alerts.unscheduled()).toEqual([]); // its escalation was planned by the old version
      expect((await s.notifications.ofAlert(1)).map((n) => n.outcome)).toEqual(['sending', 'sent']);
      expect(await s.crew.getLift('OLD-1')).toEqual({ liftId: 'OLD-1', maintenanceUnit: 'MU-OLD', useUnit: null, district: 'D-OLD' });
      expect(await s.crew.shiftAt('MU-OLD', Date.now())).toMatchObject({ primary: 'crew-old', backup: 'crew-old-b' });
      expect(await s.crew.getPolicy('MU-OLD', 'P2')).toMatchObject({ name: 'p2-default' });
      expect(await s.visits.list('OLD-2')).toMatchObject([{ technician: 'admin', source: 'checkIn', endReason: 'checked out by admin' }]);
      expect(await s.terminals.get('T-OLD-1')).toMatchObject({ liftId: 'OLD-1', role: 'terminal', enabled: true });
      expect(await s.liftRegistry.get('OLD-1')).toMatchObject({ areaCode: '330106', updatedBy: 'admin' });
      expect(await s.lifts.get('OLD-1')).toMatchObject({ recordsTotal: 2, registered: { areaCode: '330106' } });
      // The health history in its first format: each score in this store's columns, the ungraded one too.
      expect(await s.health.history('OLD-1')).toEqual([{
        liftId: 'OLD-1', at: Date.UTC(2026, 0, 15, 8), score: 81.5, grade: 'B', confidence: 0.9, paramsVersion: 'health-1',
        components: { doors: 80 }, reasons: [{ text: 'doors slower than their baseline' }], caps: [],
      }, {
        liftId: 'OLD-1', at: Date.UTC(2026, 0, 15, 8) + 1000, score: 50, grade: null, confidence: 0.1, paramsVersion: 'health-1', components: {}, reasons: [], caps: [],
      }]);
      expect(await s.health.append({ liftId: 'OLD-1', at: Date.UTC(2026, 0, 16), score: 80, grade: 'B', confidence: 1, paramsVersion: 'health-2', components: {}, reasons: [] })).toBe(true);

      const raised = await s.alerts.raise({ liftId: 'OLD-1', code: 'E03', severity: 'P2', reason: 'new', at: Date.now(), evidence: { liftId: 'OLD-1', stream: 'fault', seq: 3, ts: 1, values: {} } });
      expect(raised).toEqual({ alertId: 2, created: true, counted: true });
      expect((await s.crew.addShift({ unitId: 'MU-OLD', startsAt: 1, endsAt: 2, primary: 'crew-old', backup: 'crew-old-b' })).id).toBe(2);
    } finally {
      await s.close();
    }
    // What the all-in-one's own parts keep in the file stays as it was.
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM alert_jobs').get()).toEqual({ n: 4 });
    db.close();
  });

  it('is shared with the process through its own connection, which the store leaves open', async () => {
    const file = join(dir.path, 'shared.db');
    const conn = new Database(file);
    const s = await openStateStore({ url: `sqlite:${file}`, connection: conn });
    await s.users.upsert('ann', { name: 'Ann', role: 'admin', orgId: null, areaCode: null, disabled: false, passwordHash: 'h' });
    expect(conn.prepare('SELECT name FROM dash_users').all()).toEqual([{ name: 'Ann' }]);
    await s.close();
    expect(conn.open).toBe(true);
    conn.close();
    await expect(openStateStore({ url: `sqlite:${join(dir.path, 'other.db')}`, connection: new Database(join(dir.path, 'third.db')) }))
      .rejects.toThrow(/names another file than the connection given with it/);
  });

  it('a write it refuses on the shared connection leaves alone what the process wrote meanwhile (no rollback)', async () => {
    const file = join(dir.path, 'refuse.db');
    const conn = new Database(file);
    conn.exec('CREATE TABLE probe (n INTEGER)');
    const s = await openStateStore({ url: `sqlite:${file}`, connection: conn });
    try {
      let settled = false;
      const refused = s.users.upsert('nobody', { name: 'No Password', role: 'admin', orgId: null, areaCode: null, disabled: false })
        .finally(() => { settled = true; });
      refused.catch(() => {});
      // The process's own code runs while the store's transaction is open (a turn of the promise queue).
      let inside = false;
      while (!settled && !inside) {
        await Promise.resolve();
        if (conn.inTransaction) {
          conn.prepare('INSERT INTO probe (n) VALUES (1)').run();
          inside = true;
        }
      }
      await expect(refused).rejects.toThrow(/user "nobody" is new: give a password/);
      expect(inside).toBe(true);
      expect(conn.prepare('SELECT n FROM probe').all()).toEqual([{ n: 1 }]);
    } finally {
      await s.close();
      conn.close();
    }
  });

  it('a full disk fails a write with SQLITE_FULL, the error that says so', async () => {
    const file = join(dir.path, 'full.db');
    const conn = new Database(file);
    const s = await openStateStore({ url: `sqlite:${file}`, connection: conn });
    try {
      await s.users.upsert('ann', { name: 'Ann', role: 'admin', orgId: null, areaCode: null, disabled: false, passwordHash: 'h' });
      conn.pragma(`max_page_count = ${conn.pragma('page_count', { simple: true }) as number}`); // the file may not grow: as a full disk
      const sessions = (async () => {
        for (let i = 0; ; i++) await s.users.openSession(`${'t'.repeat(60)}${i}`, 'ann', 60_000);
      })();
      await expect(sessions).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    } finally {
      await s.close();
      conn.close();
    }
  });
  it('a query kept prepared answers with the schema of the moment: a column added after its first run is read', async () => {
    const file = join(dir.path, 'kept.db');
    const conn = new Database(file);
    const { openStateDb } = await import('../src/open.js');
    const s = await openStateDb({ url: `sqlite:${file}`, connection: conn });
    try {
      conn.exec("CREATE TABLE probe (a INTEGER); INSERT INTO probe VALUES (1)");
      const read = () => s.db.selectFrom('probe' as never).selectAll().execute() as Promise<unknown[]>;
      expect(await read()).toEqual([{ a: 1 }]);
      conn.exec('ALTER TABLE probe ADD COLUMN b INTEGER DEFAULT 7');
      expect(await read()).toEqual([{ a: 1, b: 7 }]);
      for (let i = 0; i < 600; i++) await s.db.selectFrom('probe' as never).select(sql<number>`${sql.raw(String(i))}`.as('n')).execute(); // more texts than are kept
      expect(await read()).toEqual([{ a: 1, b: 7 }]);
    } finally {
      await s.close();
      conn.close();
    }
  });
});
