import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { createIngest, type AlertSink } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const dirs: Array<{ remove: () => void }> = [];
afterEach(() => { for (const d of dirs.splice(0)) d.remove(); });

const status = (liftId: string, seq: number, ts: number) =>
  new TextEncoder().encode(JSON.stringify({ ...GOLDEN.status, liftId, seq, ts, floor: 1, speedMps: 0, doorZone: true, carDoor: 'closed' }));
/** A database file of its own, in WAL mode as the all-in-one opens it. */
function fileDb(): { path: string; db: Database.Database } {
  const dir = tempDir(); dirs.push(dir);
  const path = join(dir.path, 'liftwatch.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return { path, db };
}
const size = (file: string): number => { try { return statSync(file).size; } catch { return 0; } };

describe('the write-ahead log beside the writer thread', () => {
  it('is copied into the database while records stream in, and starts over instead of growing with them', { timeout: 60_000 }, async () => {
    const { path, db } = fileDb();
    // A copy asked for every 64 pages: many copies while the records stream in, each with batches appended beside it.
    const ingest = createIngest({ db, alerts, log: () => {} }, { walCheckpointPages: 64 });
    const t = Date.now();
    let walMax = 0;
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 1_000 }, (_, k) => {
        const lift = `WL-${String(k % 500).padStart(4, '0')}`;
        const seq = round * 2 + Math.floor(k / 500) + 1;
        return ingest.handle(liftTopic(lift, 'status'), status(lift, seq, t + seq * 1_000), null);
      }));
      walMax = Math.max(walMax, size(`${path}-wal`));
    }
    const copied = size(path);
    expect(ingest.stats().recordsAccepted).toBe(20_000);
    await ingest.close();
    db.close();
    // The records reached the database file before the close; a log that never started over would hold them all.
    expect(copied).toBeGreaterThan(1_000_000);
    expect(walMax).toBeLessThan(copied / 2);
    const check = new Database(path, { readonly: true });
    expect((check.prepare(`SELECT count(*) AS n FROM records`).get() as { n: number }).n).toBe(20_000);
    check.close();
  });
});

describe('the writer thread beside the event loop\'s own commits', () => {
  it('a batch that waited for the lock while another connection wrote is stored, not failed with "database is locked"', { timeout: 60_000 }, async () => {
    const { db } = fileDb();
    db.exec('CREATE TABLE beside (n INTEGER)');
    const failed: string[] = [];
    // A checkpoint due at every batch: each batch's transaction begins by reading the checkpoint's mark.
    const ingest = createIngest({ db, alerts, log: (line) => { if (line.includes('locked')) failed.push(line); } }, { liftSummaryCheckpointMs: 0 });
    const t = Date.now();
    await ingest.handle(liftTopic('BL-1', 'status'), status('BL-1', 1, t), null); // the lift is known: no new row first
    for (let k = 2; k <= 4; k++) {
      // This connection (alerts, health scores, the demo's history) holds the write lock across the batch's start.
      db.exec('BEGIN IMMEDIATE');
      db.prepare('INSERT INTO beside (n) VALUES (?)').run(k);
      const stored = ingest.handle(liftTopic('BL-1', 'status'), status('BL-1', k, t + k * 1_000), null).catch((err: unknown) => { failed.push(String(err)); });
      await new Promise((r) => setTimeout(r, 200)); // the writer thread has begun its batch and waits for the lock
      db.exec('COMMIT');
      await stored;
    }
    expect(failed).toEqual([]);
    expect(ingest.lifts.get('BL-1', 0)?.recordsTotal).toBe(4);
    await ingest.close();
    expect((db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n).toBe(4);
    db.close();
  });
});
