import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { createUpstreamGate, type ClusterEmitter } from './upstream-gate.js';

const require = createRequire(import.meta.url);
/* The two packages are CommonJS without bundled typings for these factories: typed here by what aedes uses. */
const mqemitterRedis = require('mqemitter-redis') as (opts: { subConn: Redis; pubConn: Redis }) => ClusterEmitter & {
  close(cb: () => void): void;
  /** Where mqemitter-redis reports its connections' errors: an EventEmitter that throws when nobody listens. */
  state: { on(event: 'error', listener: (err: Error) => void): void };
};
const aedesPersistenceRedis = require('aedes-persistence-redis') as (opts: { conn: Redis }) => unknown;

/**
 * What aedes needs to share one broker among several processes through Redis: the message emitter
 * (mqemitter-redis: a message published on one node reaches subscribers on every node) and the
 * persistence (aedes-persistence-redis: retained messages, subscriptions, sessions and wills).
 */
export function redisClusterParts(redisUrl: string, recordsWhenSubscribed = false, log?: (line: string) => void) {
  // The emitter's two connections come from this project's ioredis, not the older copy mqemitter-redis bundles:
  // in that one a (p)subscribe queued while connecting could be written before the ready check's INFO, which
  // Redis then refuses in subscriber mode, and the error ended the process. A subscriber needs no ready check.
  const mq = mqemitterRedis({
    subConn: new Redis(redisUrl, { enableReadyCheck: false }),
    pubConn: new Redis(redisUrl, { enableAutoPipelining: true }),
  });
  // ioredis reconnects by itself; an error on the way is worth a line, never the process.
  mq.state.on('error', (err) => log?.(`broker: Redis message bus: ${err.message}`));
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const persistence = aedesPersistenceRedis({ conn });
  // Records nobody subscribed to stay in their process (upstream-gate.ts): aedes emits through the gate.
  const gate = recordsWhenSubscribed ? createUpstreamGate(mq, conn) : undefined;
  if (gate) mq.emit = gate.emit;
  return {
    mq, persistence, gate,
    /**
     * After aedes.close(), which closes the emitter: ends the persistence's Redis connection. (Its destroy()
     * would first unsubscribe through the emitter that is already closed, and never return.)
     */
    async close(): Promise<void> {
      if (conn.status !== 'end') await conn.quit().catch(() => conn.disconnect());
    },
  };
}
