import Database from 'better-sqlite3';
import { createBroker, type BrokerRegistry, type Principal } from '@liftwatch/broker';
import type { IngestStats, ServiceMode } from '@liftwatch/contract';
import { createIngest, type AlertSink, type SavedRuleState, type SharedRuleState, type StoreOp } from '@liftwatch/ingest';
import type { AllInOneConfig } from '../config.js';
import { brokerConfigOf } from '../roles/broker.js';
import { ingestConfigOf } from '../roles/ingest.js';
import { createRpc, type Channel } from './rpc.js';

/** The environment variable that carries a worker's settings from the primary: JSON `{ config, index }`. */
export const WORKER_ENV = 'LIFTWATCH_MQTT_WORKER';

/** How often a worker tells the primary its counters, ms (the node's /metrics sum them). */
const STATS_MS = 1000;

/** What a worker tells the primary every STATS_MS. */
export interface WorkerStats {
  readonly clients: number;
  readonly broker: Record<string, unknown>;
  readonly ingest: IngestStats;
}

/** Where a worker listens, told once it does. */
export interface WorkerListening { host: string; port: number; tlsPort?: number; wsPort?: number }

/**
 * One MQTT worker of a node (mqtt-workers/primary.ts): the broker on the listeners it shares with
 * the node's other workers (node:cluster), and the ingest pipeline's decoding, dedup and safety rules
 * for its connections. What the primary owns it asks for over `channel`: every message's operations
 * go to the node's one writer, and the broker acknowledges a message only when the writer answered
 * that it is committed; alerts, service modes, the terminal registry and the rules' memory of each
 * lift (taken over from the worker the lift's terminal was on before) are the primary's too.
 */
export async function runMqttWorker(config: Readonly<AllInOneConfig>, channel: Channel, log: (line: string) => void) {
  const revokeListeners = new Set<(terminalId: string, why: 'disabled' | 'rotated') => void>();
  const rpc = createRpc(channel, {
    revoke: (terminalId: string, why: 'disabled' | 'rotated') => { for (const l of revokeListeners) l(terminalId, why); },
    stop: () => { void stop().then(() => process.exit(0)); },
    // The primary's downlink (config and cmd to terminals), from this worker's broker: through Redis to every worker.
    publish: (topic: string, payload: string, retain: boolean) => new Promise<void>((resolve, reject) => {
      broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, (err) => (err ? reject(err) : resolve()));
    }),
  });
  const registry: BrokerRegistry = {
    verify: (id, token) => rpc.call('verify', id, token),
    principalOf: async (id) => (await rpc.call<Principal | null>('principalOf', id)) ?? undefined,
    onRevoke(listener) {
      revokeListeners.add(listener);
      return () => revokeListeners.delete(listener);
    },
  };
  let pendingRecords = 0;
  const storeElsewhere = {
    write(topic: string, ops: StoreOp[]): Promise<void> {
      let n = 0;
      for (const op of ops) if (op.kind === 'record') n++;
      pendingRecords += n;
      return rpc.call<null>('store', topic, ops).then(() => { pendingRecords -= n; }, (err: unknown) => {
        pendingRecords -= n;
        throw err;
      });
    },
    pending: () => pendingRecords,
  };
  const alerts: AlertSink = {
    raise: (req) => rpc.call('raise', req),
    conditionCleared: (liftId, code, note) => rpc.call('cleared', liftId, code, note),
  };
  const sharedRuleState: SharedRuleState = {
    save: (entries: Array<[string, SavedRuleState]>, at: number) => rpc.call('ruleSave', entries, at),
    fetch: async (liftId) => (await rpc.call<{ state: SavedRuleState; savedAt: number } | null>('ruleFetch', liftId)) ?? undefined,
  };
  // Its own database holds nothing the node keeps: what it stores goes to the primary.
  const db = new Database(':memory:');
  const cfg = ingestConfigOf(config);
  const ingest = createIngest({
    db, alerts, log, sharedRuleState, storeElsewhere,
    onServiceMode: (liftId: string, mode: ServiceMode) => rpc.call('mode', liftId, mode),
  }, { ...cfg, maxPendingRecords: Math.ceil((cfg.maxPendingRecords ?? 200_000) / config.mqttWorkers) });
  // The workers store what their own clients send: a record goes to the other workers only for a subscriber there.
  const broker = createBroker({ ...brokerConfigOf(config), recordsThroughRedisWhenSubscribed: true }, {
    registry,
    onPublish: ingest.handle,
    onClientGone: (clientId) => void ingest.clientGone(clientId).catch((err: unknown) => log(`liftwatch: presence of ${clientId}: ${String(err)}`)),
    log,
  });
  const listening: WorkerListening = await broker.start();
  const stats = setInterval(() => rpc.tell('stats', { clients: broker.clients(), broker: broker.metrics(), ingest: ingest.stats() } satisfies WorkerStats), STATS_MS);
  stats.unref();
  rpc.tell('listening', listening);

  let stopping: Promise<void> | undefined;
  /** Stops taking messages, finishes those under way (their commits and alerts), then closes. */
  function stop(): Promise<void> {
    stopping ??= (async () => {
      clearInterval(stats);
      // mqemitter-redis leaves the unsubscribes of the clients aedes closes without a catch once its
      // connections quit: those late refusals are logged, not a crash of a worker that is stopping.
      process.on('unhandledRejection', (err) => log(`liftwatch: while stopping MQTT worker: ${String(err)}`));
      await broker.close();
      await ingest.close();
      db.close();
    })();
    return stopping;
  }
  return { stop };
}
