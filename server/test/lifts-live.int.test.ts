import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type AlertView, type LiftSummary } from '@liftwatch/contract';
import { mosquittoPub, startRedis, waitFor } from '@liftwatch/test-kit';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { credentials, startTestLiftwatch } from './helpers.js';

type Node = Awaited<ReturnType<typeof startTestLiftwatch>>;
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
let n1: Node;
let n2: Node;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const stateUrl = await pg.newDatabase('lifts_live');
  // Two full nodes over one PostgreSQL and one Redis, as behind a load balancer.
  n1 = await startTestLiftwatch({ stateUrl, redisUrl: redis.url, models: false });
  n2 = await startTestLiftwatch({ stateUrl, redisUrl: redis.url, models: false });
}, 60_000);
afterAll(async () => {
  await n2?.stop();
  await n1?.stop();
  await redis?.stop();
  await pg?.stop();
});

const now = Date.now();
const status = (liftId: string, seq: number, ts: number, floor: number) => JSON.stringify({ ...GOLDEN.status, liftId, seq, ts, floor });
const publish = async (node: Node, liftId: string, stream: 'status' | 'alarm', message: string) =>
  mosquittoPub({ port: node.mqttPort, topic: liftTopic(liftId, stream), message, ...(await credentials(node, liftId)) });

/** Reads a node's live feed (GET /api/events) in the background, as the console's EventSource does. */
async function listen(node: Node) {
  const res = await node.fetch('/api/events');
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let open = true;
  const pump = (async () => {
    while (open) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
  })().catch(() => {});
  return {
    text: () => text,
    /** The events of one kind, their data parsed. */
    events: <T>(kind: string) => [...text.matchAll(new RegExp(`event: ${kind}\\ndata: (.*)\\n\\n`, 'g'))].map((m) => JSON.parse(m[1]!) as T),
    async close() {
      open = false;
      await reader.cancel();
      await pump;
    },
  };
}

describe('two nodes: lift summaries in PostgreSQL, live changes through Redis', () => {
  it('a lift reporting to node 1 shows on node 2 with its status, and node 2\'s live page hears of it', async () => {
    const feed = await listen(n2);
    try {
      await publish(n1, 'LV-1', 'status', status('LV-1', 1, now + 1, 3));
      const lift = await waitFor('LV-1 in node 2\'s list', async () =>
        (await n2.get<{ lifts: LiftSummary[] }>('/api/lifts')).lifts.find((l) => l.liftId === 'LV-1'), 15_000, 100);
      // mosquitto_pub disconnects once it has sent: the terminal is offline again.
      expect(lift).toMatchObject({ status: { floor: 3, seq: 1 }, recordsTotal: 1 });
      await waitFor('LV-1 offline on node 2', async () => (await n2.get<LiftSummary>('/api/lifts/LV-1')).presence === 'offline', 10_000, 100);
      expect(await n2.get<LiftSummary>('/api/lifts/LV-1')).toMatchObject({ status: { floor: 3 } });
      await waitFor('node 2\'s live feed to send LV-1', () => feed.events<LiftSummary[]>('lifts').flat().some((l) => l.liftId === 'LV-1' && l.status?.floor === 3), 10_000, 100);
    } finally {
      await feed.close();
    }
  });

  it('an alert change made on node 1 reaches the live pages of both nodes once each', async () => {
    const [f1, f2] = await Promise.all([listen(n1), listen(n2)]);
    try {
      await publish(n1, 'LV-2', 'alarm', JSON.stringify({ ...GOLDEN.alarm, liftId: 'LV-2', seq: 1, ts: now + 2, floor: 3 }));
      const { alerts } = await n1.get<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=LV-2');
      expect(alerts).toHaveLength(1);
      const id = alerts[0]!.id;
      const res = await n1.fetch(`/api/alerts/${id}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'on my way' }) });
      expect(res.status).toBe(200);
      const acked = (f: typeof f1) => f.events<AlertView[]>('alerts').flat().filter((a) => a.id === id && a.state === 'acknowledged');
      await waitFor('the acknowledgement on node 2\'s feed', () => acked(f2).length > 0, 10_000, 50);
      await waitFor('the acknowledgement on node 1\'s feed', () => acked(f1).length > 0, 10_000, 50);
      // Node 1's own change came back from Redis too: it is not sent twice. Wait past a round trip first.
      await new Promise((r) => setTimeout(r, 500));
      expect(acked(f1)).toHaveLength(1);
      expect(acked(f2)).toHaveLength(1);
    } finally {
      await Promise.all([f1.close(), f2.close()]);
    }
  });

  it('a lift whose terminal moves from node 1 to node 2 keeps its newest status, and its records add up', async () => {
    await publish(n1, 'LV-3', 'status', status('LV-3', 1, now + 10, 1));
    await publish(n2, 'LV-3', 'status', status('LV-3', 3, now + 30, 9));
    // Node 1 still had an older record of it (made before, lower seq, sent late): it counts, but does not win.
    await publish(n1, 'LV-3', 'status', status('LV-3', 2, now + 20, 5));
    const lift = await waitFor('all three records of LV-3 in the shared table', async () => {
      const l = await n1.get<LiftSummary>('/api/lifts/LV-3').catch(() => undefined);
      return l?.recordsTotal === 3 ? l : undefined;
    }, 15_000, 100);
    expect(lift.status).toMatchObject({ floor: 9, seq: 3 });
    expect(await n2.get<LiftSummary>('/api/lifts/LV-3')).toMatchObject({ recordsTotal: 3, status: { floor: 9 } });
  });
});
