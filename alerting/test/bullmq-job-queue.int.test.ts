import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@liftwatch/test-kit';
import { createBullmqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { jobQueueContract } from './job-queue.contract.js';
import { startRedis } from './redis-server.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

jobQueueContract('BullMQ on Redis (distributed)', async () => {
  const name = `test-${randomUUID()}`; // a random queue per test (BullMQ's own test practice)
  return { open: () => createBullmqJobQueue({ port: redis.port, name, lockDurationMs: 1000, stalledIntervalMs: 500 }) };
});

describe('BullMQ queue across a Redis restart', () => {
  it('loses no job when Redis is killed and restarted in the middle of the deliveries', async () => {
    const q = createBullmqJobQueue({ port: redis.port, name: `restart-${randomUUID()}`, concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000 });
    const done = new Set<string>();
    q.start(async (job) => {
      await new Promise((r) => setTimeout(r, 50));
      done.add(job.id);
    });
    const ids = Array.from({ length: 30 }, (_, i) => `dlv.${i}`);
    for (const id of ids) await q.add({ id, kind: 'deliver', payload: {}, runAt: Date.now() + (id.endsWith('9') ? 1500 : 0), maxAttempts: 5, backoffMs: 200 });
    await waitFor('some deliveries', () => done.size >= 5);
    expect(done.size).toBeLessThan(30);
    await redis.restart();
    await waitFor('every delivery after the restart', () => done.size === 30, 30_000);
    expect([...done].sort()).toEqual([...ids].sort());
    await q.close();
  });
});
