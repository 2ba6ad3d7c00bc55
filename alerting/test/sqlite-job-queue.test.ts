import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@liftwatch/test-kit';
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
