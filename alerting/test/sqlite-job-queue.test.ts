import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteJobQueue } from '../src/queue/sqlite-job-queue.js';
import { jobQueueContract } from './job-queue.contract.js';

jobQueueContract('SQLite (all-in-one)', async () => {
  const dir = tempDir();
  const dbs: Database.Database[] = [];
  return {
    open() {
      const db = new Database(join(dir.path, 'q.db'));
      db.pragma('journal_mode = WAL');
      dbs.push(db);
      return createSqliteJobQueue(db, { pollMs: 20 });
    },
    async cleanup() { for (const db of dbs) db.close(); dir.remove(); },
  };
});

describe('SQLite job queue with a controllable clock', () => {
  it('runs a job exactly when the clock reaches its time', async () => {
    let t = 1_000_000;
    const q = createSqliteJobQueue(new Database(':memory:'), { now: () => t, pollMs: 60_000 });
    const ran: string[] = [];
    q.start(async (job) => { ran.push(job.id); });
    await q.add({ id: 'a', kind: 'escalate', payload: {}, runAt: t + 60_000 });
    t += 59_999;
    expect(await q.runDue()).toBe(0);
    t += 1;
    expect(await q.runDue()).toBe(1);
    expect(ran).toEqual(['a']);
    await q.close();
  });
});

describe('SQLite job queue on a file', () => {
  it('claims a job due now in the transaction that adds it: one commit before it runs, not two', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'q.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const watcher = new Database(file);
    const commits = () => walCommits(`${file}-wal`);
    const q = createSqliteJobQueue(db, { pollMs: 60_000 });
    const atRun: Array<{ commits: number; state: unknown; attempt: number }> = [];
    q.start(async (job) => {
      atRun.push({ commits: commits(), state: watcher.prepare('SELECT state, attempts FROM jobs WHERE id = ?').get(job.id), attempt: job.attempt });
    });
    try {
      await q.runDue();
      const before = commits();
      await q.add({ id: 'now', kind: 'deliver', payload: {}, runAt: Date.now() });
      while (atRun.length === 0) await new Promise((r) => setImmediate(r));
      expect(atRun).toEqual([{ commits: before + 1, state: { state: 'active', attempts: 1 }, attempt: 1 }]);
      await q.close();
      expect(await q.state('now')).toMatchObject({ state: 'done', attempts: 1 });
    } finally {
      watcher.close();
      db.close();
      dir.remove();
    }
  });
});

/**
 * Commits in a write-ahead log (https://sqlite.org/fileformat2.html#walformat): frames after the
 * 32-byte header, each a 24-byte header and a page; a commit's last frame holds the database size
 * (bytes 4–7); frames whose salts differ from the header's are left over from before a restart.
 */
function walCommits(wal: string): number {
  const b = readFileSync(wal);
  const pageSize = b.readUInt32BE(8);
  let n = 0;
  for (let at = 32; at + 24 + pageSize <= b.length; at += 24 + pageSize) {
    if (b.readUInt32BE(at + 8) !== b.readUInt32BE(16) || b.readUInt32BE(at + 12) !== b.readUInt32BE(20)) break;
    if (b.readUInt32BE(at + 4) !== 0) n++;
  }
  return n;
}
