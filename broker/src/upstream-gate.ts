import type { Redis } from 'ioredis';
import { TOPIC_ROOT } from '@liftwatch/contract';
import { isDownTopic } from './acl.js';

/** Between broker processes only: `$SYS` topics are not matched by clients' wildcards [MQTT-4.7.2-1]. */
const FILTER_TOPIC = '$SYS/liftwatch/upstream-filter';
const FILTER_KEY = 'liftwatch:broker:upstream-filters';

/** The part of mqemitter-redis the gate uses: its Redis publish, and the delivery to this process's subscribers only. */
export interface ClusterEmitter {
  emit(packet: { topic: string; payload: unknown }, done?: (err?: Error) => void): void;
  _emit(packet: { topic: string; payload: unknown }, done?: (err?: Error) => void): void;
  on(topic: string, handler: (packet: { topic: string; payload: unknown }, done: () => void) => void, done?: () => void): void;
}

/** Whether MQTT topic filter `filter` matches `topic` [MQTT-4.7.1-2], [MQTT-4.7.1-3]. */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/**
 * Terminals' records (up streams of `lift/v1/…`) through several broker processes on one Redis: a
 * record goes out through Redis only when a client of some process subscribed to a filter that
 * matches it (an ingest account, a dashboard, a relay); else only to this process's own subscribers.
 * Every other message (config and cmd to terminals, `$SYS`) always goes through Redis. The filters
 * that may match records are announced to every process before the subscription is acknowledged,
 * kept in Redis for processes that start later, and never forgotten (a filter kept too long costs a
 * Redis publish per matching record, one forgotten too early would lose records).
 */
export function createUpstreamGate(mq: ClusterEmitter, conn: Redis) {
  const publish = mq.emit.bind(mq);
  const exact = new Set<string>();
  const wildcards: string[] = [];
  const learn = (filter: string) => {
    if (exact.has(filter) || wildcards.includes(filter)) return;
    if (filter.includes('+') || filter.includes('#')) wildcards.push(filter);
    else exact.add(filter);
  };
  const subscribed = (topic: string) => exact.has(topic) || wildcards.some((w) => filterMatches(w, topic));
  const known = (filter: string) => exact.has(filter) || wildcards.includes(filter);
  /** A filter that can match no record: a terminal's own config or cmd topic. */
  const canMatchRecords = (filter: string) => filter.includes('+') || filter.includes('#') || !isDownTopic(filter);

  return {
    /** Loads the filters announced so far and listens for new ones; before the broker takes clients. */
    async start(): Promise<void> {
      await new Promise<void>((resolve) => mq.on(FILTER_TOPIC, (packet, done) => {
        learn(String(packet.payload));
        done();
      }, resolve));
      for (const filter of await conn.smembers(FILTER_KEY)) learn(filter);
    },
    /** Before a subscription is acknowledged: every process learns its filter, if it can match records. */
    async announce(filter: string): Promise<void> {
      if (!canMatchRecords(filter) || known(filter)) return;
      learn(filter);
      await conn.sadd(FILTER_KEY, filter);
      await new Promise<void>((resolve, reject) => publish({ topic: FILTER_TOPIC, payload: filter }, (err) => (err ? reject(err) : resolve())));
    },
    /** aedes' emit: a record nobody subscribed to stays in this process. */
    emit(packet: { topic: string; payload: unknown }, done?: (err?: Error) => void): void {
      if (packet.topic.startsWith(`${TOPIC_ROOT}/`) && !isDownTopic(packet.topic) && !subscribed(packet.topic)) mq._emit(packet, done);
      else publish(packet, done);
    },
  };
}

export type UpstreamGate = ReturnType<typeof createUpstreamGate>;
