import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngest, type AlertSink } from '../src/index.js';
import { MAIN_CACHE_KIB_BESIDE_WRITER } from '../src/stores.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function fileDb(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'lw-cache-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'liftwatch.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('cache_size = -65536');
  return db;
}

describe('page cache of the process\'s own connection', () => {
  it('shrinks while the writer thread stores the records on its own connection', async () => {
    const db = fileDb();
    const ingest = createIngest({ db, alerts, log: () => {} });
    expect(db.pragma('cache_size', { simple: true })).toBe(-MAIN_CACHE_KIB_BESIDE_WRITER);
    await ingest.close();
    db.close();
  });

  it('stays as opened when the records are written on this connection', async () => {
    const db = fileDb();
    const ingest = createIngest({ db, alerts, log: () => {} }, { writerThread: false });
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    await ingest.close();
    db.close();
  });
});
