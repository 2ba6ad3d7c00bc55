import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import type { Change } from '@liftwatch/dashboards';
import { createChangeFeed } from '../src/change-feed.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const alert = (id: number) => ({ kind: 'alert', alert: { id, liftId: `CF-${id}`, state: 'open' } }) as unknown as Change;
const collect = (feed: ReturnType<typeof createChangeFeed>) => {
  const got: Change[] = [];
  feed.subscribe((c) => got.push(c));
  return got;
};
const liftIds = (got: Change[]) => got.flatMap((c) => (c.kind === 'lifts' ? c.liftIds : []));

describe('live changes through Redis pub/sub', () => {
  it('lift changes are gathered into few messages; each node hears every change once, its own included', async () => {
    const [a, b] = [createChangeFeed({ redisUrl: redis.url, channel: 'cf-1', coalesceMs: 200 }), createChangeFeed({ redisUrl: redis.url, channel: 'cf-1', coalesceMs: 200 })];
    try {
      const [gotA, gotB] = [collect(a), collect(b)];
      await waitFor('both connections ready', async () => {
        a.publish(alert(0));
        return gotB.length > 0;
      }, 10_000, 100);
      await new Promise((r) => setTimeout(r, 300)); // the warm-up messages still on their way arrive before counting starts
      gotA.length = 0;
      gotB.length = 0;
      // 3,000 changes of 300 lifts, as fast as ingest makes them.
      for (let i = 0; i < 3_000; i++) a.publish({ kind: 'lifts', liftIds: [`L-${i % 300}`] });
      expect(gotA).toHaveLength(3_000); // at once, locally
      await waitFor('node B to hear of all 300 lifts', () => new Set(liftIds(gotB)).size === 300, 10_000, 20);
      expect(gotB.length).toBeLessThanOrEqual(2); // one message per 200 ms, not 3,000
      a.publish(alert(7));
      await waitFor('the alert on node B', () => gotB.some((c) => c.kind === 'alert' && c.alert.id === 7), 5_000, 10);
      await new Promise((r) => setTimeout(r, 400)); // past a round trip: node A's own messages came back and were skipped
      expect(gotA.filter((c) => c.kind === 'alert' && c.alert.id === 7)).toHaveLength(1);
      expect(liftIds(gotA)).toHaveLength(3_000);
      expect(gotB.filter((c) => c.kind === 'alert' && c.alert.id === 7)).toHaveLength(1);
      expect(a.stats().published).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a Redis that goes away stops only the fan-out: local changes still reach local listeners', async () => {
    const own = await startRedis();
    const a = createChangeFeed({ redisUrl: own.url, channel: 'cf-2', coalesceMs: 20, log: () => {} });
    try {
      const got = collect(a);
      await own.stop();
      for (let i = 0; i < 100; i++) a.publish(i % 2 ? alert(i) : { kind: 'lifts', liftIds: [`G-${i}`] });
      expect(got).toHaveLength(100);
      await waitFor('the lift message to be dropped', () => a.stats().failed > 0, 5_000, 20);
    } finally {
      await a.close();
    }
  });

  it('without Redis it is the process\'s own feed', async () => {
    const a = createChangeFeed();
    const got = collect(a);
    a.publish({ kind: 'lifts', liftIds: ['X-1'] });
    expect(got).toEqual([{ kind: 'lifts', liftIds: ['X-1'] }]);
    await a.close();
  });
});
