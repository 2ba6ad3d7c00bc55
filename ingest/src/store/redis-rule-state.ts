import { Redis } from 'ioredis';
import { createMessageReceiver, SharedRuleStateEntry } from '@liftwatch/contract';
import type { SavedRuleState } from '../detect/detector.js';

/**
 * Per-lift rule state shared through Redis, for several ingest nodes: when a terminal
 * reconnects to another node, that node picks up the lift's open conditions and running entrapment
 * timer instead of starting from nothing. Saved on every change of state (they are rare: edges, not
 * records), read when a node meets a lift it has not seen, or not since that lift's terminal left it.
 */
export function createRedisRuleState(o: { url: string; node: string; key?: string; log?: (line: string) => void }) {
  const redis = new Redis(o.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const key = o.key ?? 'liftwatch:rule-state';
  // An entry that does not match SharedRuleStateEntry is logged, counted and read as no entry.
  const receiver = createMessageReceiver('rule-state', SharedRuleStateEntry, { log: o.log });
  let failures = 0;
  redis.on('error', (err: Error) => {
    if (failures++ % 1000 === 0) o.log?.(`ingest: Redis for shared rule state at ${o.url}: ${err.message} (the node keeps its own state meanwhile)`);
  });
  return {
    /** Saves changed lifts; a failure is logged, the node's own state stays in force. */
    async save(entries: Array<[string, SavedRuleState]>, at: number): Promise<void> {
      if (entries.length === 0) return;
      const args: string[] = [];
      for (const [liftId, state] of entries) args.push(liftId, JSON.stringify({ state, savedAt: at, node: o.node } satisfies SharedRuleStateEntry));
      await redis.hset(key, ...args);
    },
    /** The state last saved by any node, or undefined (none, or none this version can read). */
    async fetch(liftId: string): Promise<SharedRuleStateEntry | undefined> {
      const json = await redis.hget(key, liftId);
      const entry = json === null ? undefined : receiver.parse(json, `rule state of ${liftId}`);
      return entry?.ok ? entry.value : undefined;
    },
    async close(): Promise<void> {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export type RedisRuleState = ReturnType<typeof createRedisRuleState>;
