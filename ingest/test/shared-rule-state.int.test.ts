import Database from 'better-sqlite3';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GOLDEN, liftTopic, rejectedMessageCounts } from '@liftwatch/contract';
import { startRedis, waitFor } from '@liftwatch/test-kit';
import { createIngest, createRedisRuleState, type AlertSink } from '../src/index.js';
import type { SavedRuleState } from '../src/detect/detector.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

const T = Date.now();
/** The time of the test, s after T: every node's wall clock reads it; each node's monotonic clock runs from a zero of its own. */
let nowS = 0;
let nodes = 0;

/** One ingest node: its own database, the alerts it raised, and optionally the shared rule state. */
function node(name: string, sharedKey?: string) {
  const monoZero = ++nodes * 10_000_000;
  const raised: Array<{ code: string; reason: string }> = [];
  const alerts: AlertSink = { raise: (r) => { raised.push({ code: r.code, reason: r.reason }); return { created: true, counted: false }; }, conditionCleared: () => {} };
  const shared = sharedKey ? createRedisRuleState({ url: redis.url, node: name, key: sharedKey }) : undefined;
  const clocks = { now: () => T + nowS * 1000, monotonic: () => monoZero + nowS * 1000 };
  const ingest = createIngest({ db: new Database(':memory:'), alerts, ...clocks, ...(shared ? { sharedRuleState: shared } : {}) }, { detector: { entrapmentS: 60 } });
  return { ingest, raised, close: async () => { await ingest.close(); await shared?.close(); } };
}

let seq = 0;
/** A status of a car standing at floor 3 with doors shut and passengers inside, made and received at T + s. */
function trapped(liftId: string, s: number): Uint8Array {
  nowS = s;
  return new TextEncoder().encode(JSON.stringify({
    ...GOLDEN.status, liftId, seq: ++seq, ts: T + s * 1000, speedMps: 0, direction: 'none', floor: 3, doorZone: true, carDoor: 'closed', passengersPresent: true,
  }));
}
/** Waits until the lift's rule state in Redis is the one a node saved at T + s (a node shares each change as it happens). */
async function sharedAt(key: string, liftId: string, s: number): Promise<void> {
  const reader = createRedisRuleState({ url: redis.url, node: 'reader', key });
  try {
    await waitFor(`${liftId}'s rule state of T + ${s} s in Redis`, async () => (await reader.fetch(liftId))?.savedAt === T + s * 1000);
  } finally {
    await reader.close();
  }
}

/** A server that takes connections and never answers: a Redis that hangs. */
async function silentServer() {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => {}); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `redis://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}

describe('rule state shared between ingest nodes through Redis', () => {
  it('a terminal that reconnects to another node keeps its entrapment timer: E01 comes 60 s after the car stopped, not 60 s after the move', async () => {
    const a = node('A', 'rs-1'); const b = node('B', 'rs-1');
    await a.ingest.handle(liftTopic('SH-1', 'status'), trapped('SH-1', 0), 'term-1');
    await a.ingest.handle(liftTopic('SH-1', 'status'), trapped('SH-1', 20), 'term-1');
    await sharedAt('rs-1', 'SH-1', 0); // the timer started when the car stopped; nothing changed at 20 s
    // The terminal's connection to A breaks; it reconnects to B.
    await a.ingest.clientGone('term-1');
    await b.ingest.handle(liftTopic('SH-1', 'status'), trapped('SH-1', 40), 'term-1');
    expect(b.raised).toEqual([]);
    await b.ingest.handle(liftTopic('SH-1', 'status'), trapped('SH-1', 61), 'term-1');
    expect(b.raised.map((r) => r.code)).toEqual(['E01']);
    expect(b.raised[0]!.reason).toMatch(/still .* for 61 s since/);
    await sharedAt('rs-1', 'SH-1', 61);

    // Back on A, which still holds its older state (timer running, not fired): it takes B's, and does not raise E01 again.
    await a.ingest.handle(liftTopic('SH-1', 'status'), trapped('SH-1', 70), 'term-1');
    expect(a.raised).toEqual([]);
    await a.close(); await b.close();
  });

  it('without the shared state the second node starts the timer again, which is what sharing prevents', async () => {
    const a = node('A'); const b = node('B');
    await a.ingest.handle(liftTopic('SH-2', 'status'), trapped('SH-2', 0), 'term-2');
    await a.ingest.handle(liftTopic('SH-2', 'status'), trapped('SH-2', 20), 'term-2');
    await b.ingest.handle(liftTopic('SH-2', 'status'), trapped('SH-2', 40), 'term-2');
    await b.ingest.handle(liftTopic('SH-2', 'status'), trapped('SH-2', 61), 'term-2');
    expect(b.raised).toEqual([]);
    await a.close(); await b.close();
  });

  it('a Redis that does not answer delays the first record of a lift by 200 ms, no more, and the alarm still comes', async () => {
    const hung = await silentServer();
    // The wait is read off a fake clock (setTimeout), not off the machine's: exactly 200 ms, however loaded.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const deaf = createRedisRuleState({ url: hung.url, node: 'C' });
    let fetched = false; // whether Redis ever answered the node's read
    const watched = { ...deaf, fetch: (liftId: string) => deaf.fetch(liftId).finally(() => { fetched = true; }) };
    const raised: string[] = [];
    const ingest = createIngest({ db: new Database(':memory:'), sharedRuleState: watched, alerts: { raise: (r) => { raised.push(r.code); return { created: true, counted: false }; }, conditionCleared: () => {} } });
    try {
      const fault = { ...GOLDEN.fault, liftId: 'SH-3', seq: ++seq, ts: Date.now() };
      let handled = false;
      const handling = ingest.handle(liftTopic('SH-3', 'fault'), new TextEncoder().encode(JSON.stringify(fault)), 'term-3').then(() => { handled = true; });
      await vi.advanceTimersByTimeAsync(199);
      expect([raised, handled]).toEqual([[], false]); // waiting for the lift's shared state
      await vi.advanceTimersByTimeAsync(1);
      await handling;
      expect(raised).toEqual(['E01']);
      expect(fetched).toBe(false); // the alarm did not wait for Redis
    } finally {
      vi.useRealTimers();
      await ingest.close();
      await hung.close(); // the client sees the connection end, gives up its commands and closes
      await deaf.close();
    }
  });

  it('a shared state this version cannot read (another version wrote it) is logged, counted and skipped: the record is stored, not a dead letter', async () => {
    const writer = createRedisRuleState({ url: redis.url, node: 'old', key: 'rs-4' });
    await writer.save([['SH-4', { still: 'since boot' } as unknown as SavedRuleState]], Date.now() + 60_000);
    const logs: string[] = [];
    const before = rejectedMessageCounts()['rule-state'];
    const shared = createRedisRuleState({ url: redis.url, node: 'D', key: 'rs-4', log: (l) => logs.push(l) });
    const ingest = createIngest({ db: new Database(':memory:'), sharedRuleState: shared, alerts: { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} }, log: (l) => logs.push(l) });
    await ingest.handle(liftTopic('SH-4', 'status'), trapped('SH-4', 0), 'term-4');
    expect(await ingest.deadLetters.count()).toBe(0);
    expect(ingest.lifts.get('SH-4', 0)?.recordsTotal).toBe(1);
    expect(rejectedMessageCounts()['rule-state']).toBe(before + 1);
    expect(logs.join('\n')).toMatch(/does not match its schema and is dropped: rule state of SH-4\.state\.active: is required but missing; rule state of SH-4\.state\.still: expected object, got "since boot"/);
    await ingest.close(); await shared.close(); await writer.close();
  });
});
