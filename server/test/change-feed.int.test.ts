import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectedMessageCounts, type AlertView, type IngestStats } from '@liftwatch/contract';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import type { Change } from '@liftwatch/dashboards';
import { createChangeFeed } from '../src/change-feed.js';
import { createMetrics } from '../src/metrics.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const alertView = (id: number): AlertView => ({
  id, liftId: `CF-${id}`, code: 'E01', severity: 'P1', nameEn: 'Entrapment', nameZh: '困人', state: 'open', reason: 'passengers on board',
  openedAt: 1, updatedAt: 1, lastSeenAt: 1, conditionClearedAt: null, occurrences: 1,
});
const alert = (id: number): Change => ({ kind: 'alert', alert: alertView(id) });
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
      let warmUps = 0;
      await waitFor('both connections ready', async () => {
        a.publish(alert(0));
        warmUps++;
        return gotB.length > 0;
      }, 10_000, 100);
      await waitFor('every warm-up message sent or refused', () => a.stats().published + a.stats().failed === warmUps);
      const publishedBefore = a.stats().published;
      gotA.length = 0; // node A hears its own at once; on node B a warm-up message may still arrive: only lift messages are counted there
      gotB.length = 0;
      // 3,000 changes of 300 lifts, as fast as ingest makes them.
      for (let i = 0; i < 3_000; i++) a.publish({ kind: 'lifts', liftIds: [`L-${i % 300}`] });
      expect(gotA).toHaveLength(3_000); // at once, locally
      await waitFor('node B to hear of all 300 lifts', () => new Set(liftIds(gotB)).size === 300, 10_000, 20);
      expect(gotB.filter((c) => c.kind === 'lifts').length).toBeLessThanOrEqual(2); // one message per 200 ms, not 3,000
      a.publish(alert(7));
      await waitFor('the alert on node B', () => gotB.some((c) => c.kind === 'alert' && c.alert.id === 7), 15_000, 10);
      await new Promise((r) => setTimeout(r, 400)); // past a round trip: node A's own messages came back and were skipped
      expect(gotA.filter((c) => c.kind === 'alert' && c.alert.id === 7)).toHaveLength(1);
      expect(liftIds(gotA)).toHaveLength(3_000);
      expect(gotB.filter((c) => c.kind === 'alert' && c.alert.id === 7)).toHaveLength(1);
      expect(a.stats().published - publishedBefore).toBeLessThanOrEqual(3); // at most two of lifts, and the alert
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
      await waitFor('the lift message to be dropped', () => a.stats().failed > 0, 15_000, 20);
    } finally {
      await a.close();
    }
  });

  it('a message on the channel that is not a change is logged, counted in the metric and dropped; the next one arrives', async () => {
    const lines: string[] = [];
    const a = createChangeFeed({ redisUrl: redis.url, channel: 'cf-3', log: (l) => lines.push(l) });
    const other = new Redis(redis.url);
    const metrics = createMetrics();
    metrics.from({ ingest: () => ({ rejectedByCode: {} }) as unknown as IngestStats, pendingRecords: () => 0, mqttClients: () => 0, lifts: () => 0 });
    const dropped = async () => Number(/^liftwatch_messages_rejected_total\{channel="live-changes"\} (\d+)/m.exec(await metrics.text())?.[1]);
    try {
      const got = collect(a);
      const before = rejectedMessageCounts()['live-changes'];
      expect(await dropped()).toBe(before);
      await waitFor('the feed to subscribe', async () => (await other.publish('cf-3', JSON.stringify({ node: 'other', change: alert(1) }))) === 1 && got.length > 0, 10_000, 50);
      got.length = 0;
      await other.publish('cf-3', JSON.stringify({ node: 'other', change: { kind: 'alert', alert: { ...alertView(2), state: 'lost' } } }));
      await other.publish('cf-3', 'not json');
      await other.publish('cf-3', JSON.stringify({ node: 'other', change: alert(3) }));
      await waitFor('the good change after the bad ones', () => got.some((c) => c.kind === 'alert' && c.alert.id === 3), 15_000, 10);
      expect(got.filter((c) => c.kind !== 'alert' || c.alert.id !== 1)).toEqual([alert(3)]); // id 1: the warm-up's, still arriving
      expect(rejectedMessageCounts()['live-changes']).toBe(before + 2);
      expect(await dropped()).toBe(before + 2);
      expect(lines.join('\n')).toMatch(/live-changes\.change\.alert\.state: expected one of "open", .*got "lost"/);
    } finally {
      other.disconnect();
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
