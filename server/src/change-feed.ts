import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { ChangeFeedMessage, createMessageReceiver } from '@liftwatch/contract';
import type { Change, ChangeFeed } from '@liftwatch/dashboards';

export interface ChangeFeedOptions {
  /** Redis of the deployment; without it the feed is this process's only. */
  readonly redisUrl?: string | undefined;
  /** @defaultValue liftwatch:changes */
  readonly channel?: string;
  /** Lift changes gathered this long into one message, ms. @defaultValue 250 */
  readonly coalesceMs?: number;
  /** Lift ids in one message at most (a larger gathering is sent as several). @defaultValue 10000 */
  readonly maxIdsPerMessage?: number;
  readonly log?: (line: string) => void;
}

/**
 * The console's live changes (dashboards/src/live/events.ts) of every node. A change
 * made here reaches this process's listeners at once; with Redis it is also published on a channel
 * that every node subscribes to, and a node hands its listeners the changes of the others (its own
 * come back from Redis too, and are skipped: each listener gets each change once). Alert changes and
 * closed sessions go out at once (a P1 must not wait, a disabled user's stream must end); lift changes are gathered for `coalesceMs` into one message, so
 * 30,000 records a second make four messages a second, not 30,000. Redis going away stops only the
 * fan-out: local changes still reach local listeners, and ioredis reconnects and subscribes again.
 */
export function createChangeFeed(o: ChangeFeedOptions = {}) {
  const local = new EventEmitter().setMaxListeners(0);
  const node = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const channel = o.channel ?? 'liftwatch:changes';
  const coalesceMs = o.coalesceMs ?? 250;
  const maxIds = o.maxIdsPerMessage ?? 10_000;
  const stats = { published: 0, received: 0, failed: 0 };
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  let failures = 0;
  const warn = (what: string, err: unknown) => {
    if (failures++ % 1000 === 0) o.log?.(`liftwatch: live changes through Redis at ${o.redisUrl}: ${what}: ${err instanceof Error ? err.message : String(err)} (this node's own changes still reach its pages)`);
  };
  if (o.redisUrl) {
    // No offline queue: while Redis is away a publish fails at once instead of piling up in memory.
    pub = new Redis(o.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    sub = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
    pub.on('error', (err: Error) => warn('publisher', err));
    sub.on('error', (err: Error) => warn('subscriber', err));
    // A message that does not match ChangeFeedMessage is logged, counted and dropped by the receiver.
    const receiver = createMessageReceiver('live-changes', ChangeFeedMessage, { log: o.log });
    sub.on('message', (_channel: string, text: string) => {
      const received = receiver.parse(text);
      if (!received.ok) return;
      const m = received.value;
      if (m.node === node) return; // delivered here when it was made
      stats.received++;
      local.emit('change', m.change);
      local.emit('remote', m.change);
    });
    sub.subscribe(channel).catch((err: unknown) => warn(`subscribing to ${channel}`, err));
  }

  const send = (change: Exclude<Change, { kind: 'liftsSeen' }>) => {
    if (!pub || pub.status !== 'ready') {
      stats.failed++;
      return;
    }
    pub.publish(channel, JSON.stringify({ node, change } satisfies ChangeFeedMessage)).then(() => {
      stats.published++;
    }, (err: unknown) => {
      stats.failed++;
      warn('publishing', err);
    });
  };

  const gathered = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const sendLifts = () => {
    timer = undefined;
    const ids = [...gathered];
    gathered.clear();
    for (let i = 0; i < ids.length; i += maxIds) send({ kind: 'lifts', liftIds: ids.slice(i, i + maxIds) });
  };

  return {
    /** A change made on this node: to the local listeners now, to the other nodes through Redis. */
    publish(change: Change): void {
      local.emit('change', change);
      if (!pub) return;
      if (change.kind !== 'lifts' && change.kind !== 'liftsSeen') {
        send(change);
        return;
      }
      // Other nodes read the lifts again (from the shared store): their ids are enough.
      for (const id of change.liftIds) gathered.add(id);
      timer ??= setTimeout(sendLifts, coalesceMs);
    },
    subscribe(listener: (change: Change) => void): () => void {
      local.on('change', listener);
      return () => local.off('change', listener);
    },
    /** Only the changes made on other nodes (this node already knows its own). */
    subscribeRemote(listener: (change: Change) => void): () => void {
      local.on('remote', listener);
      return () => local.off('remote', listener);
    },
    /** Messages published and received (from other nodes), and those that could not be sent. */
    stats: () => ({ ...stats }),
    async close(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        sendLifts();
      }
      local.removeAllListeners();
      // QUIT only over a live connection: while Redis is away the subscriber would hold it until Redis is back.
      const leave = async (c: Redis | undefined) => { if (c?.status === 'ready') await c.quit().catch(() => {}); c?.disconnect(); };
      await Promise.all([leave(pub), leave(sub)]);
    },
  } satisfies ChangeFeed & Record<string, unknown>;
}
export type LiveChangeFeed = ReturnType<typeof createChangeFeed>;
