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

describe('BullMQ queue during a Redis outage', () => {
  it('reconnects at most reconnectMaxMs apart however long Redis is away, and runs a job added meanwhile once it is back', async () => {
    const delays: number[] = [];
    const q = createBullmqJobQueue({ port: redis.port, name: `outage-${randomUUID()}`, reconnectMaxMs: 1000, onReconnect: (_n, delay) => delays.push(delay) });
    const ran: string[] = [];
    q.start(async (job) => { ran.push(job.id); });
    await q.add({ id: 'before', kind: 'deliver', payload: {}, runAt: Date.now() });
    await waitFor('the job before the outage', () => ran.includes('before'));
    await redis.down();
    const added = q.add({ id: 'during', kind: 'deliver', payload: {}, runAt: Date.now() }); // waits in ioredis' offline queue
    // BullMQ's own schedule grows past 1 s from its 8th reconnect (3 s, 8 s, then 20 s): wait for the queue's connections to get there.
    await waitFor('every connection at the longest wait', () => delays.filter((d) => d === 1000).length >= 9, 30_000);
    await redis.up();
    await added;
    await waitFor('the job added during the outage', () => ran.includes('during'), 15_000);
    expect(Math.max(...delays)).toBe(1000);
    expect(delays[0]).toBeLessThan(1000); // the first reconnect comes at once
    await q.close();
  });
});
