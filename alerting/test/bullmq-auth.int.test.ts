import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import { createBullmqJobQueue } from '../src/queue/bullmq-job-queue.js';

// A production Redis has a password (requirepass) and may give liftwatch a database of its own.
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => { redis = await startRedis({ password: 's3cret pw' }); });
afterAll(async () => { await redis?.stop(); });

describe('BullMQ queue on a Redis with a password and a database number', () => {
  it('runs its jobs there, and keeps them in that database', async () => {
    const name = `auth-${randomUUID()}`;
    const q = createBullmqJobQueue({ port: redis.port, password: 's3cret pw', db: 3, name });
    const done: string[] = [];
    q.start(async (job) => { done.push(job.id); });
    await q.add({ id: 'esc.1.0', kind: 'escalate', payload: {}, runAt: Date.now(), maxAttempts: 1, backoffMs: 100 });
    await waitFor('the job', () => done.length === 1, 15_000);
    expect(done).toEqual(['esc.1.0']);
    const admin = new Redis({ port: redis.port, password: 's3cret pw', db: 3 });
    try {
      expect((await admin.keys(`*${name}*`)).length).toBeGreaterThan(0);
      await admin.select(0);
      expect(await admin.keys(`*${name}*`)).toEqual([]);
    } finally {
      admin.disconnect();
      await q.close();
    }
  });
});
