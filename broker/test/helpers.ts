import Database from 'better-sqlite3';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { createBroker, type BrokerConfig, type BrokerDeps } from '../src/broker.js';
import { createTerminalRegistry } from '../src/terminal-registry.js';

export interface Received { topic: string; payload: string; clientId: string | null }

/**
 * A broker on a random loopback port with its registry in an in-memory SQLite database. Its ingest port
 * records what it is given, so a test sees exactly which messages got past the hooks.
 */
export async function startTestBroker(over: Partial<BrokerConfig> = {}, shared?: Database.Database, ingest?: BrokerDeps['onPublish']) {
  const db = shared ?? new Database(':memory:');
  const registry = createTerminalRegistry(db);
  const received: Received[] = [];
  const logs: string[] = [];
  const gone: string[] = [];
  const broker = createBroker({ host: '127.0.0.1', port: 0, ...over }, {
    registry,
    onPublish: (topic, payload, clientId, qos) => {
      received.push({ topic, payload: payload.toString('utf8'), clientId });
      return ingest ? ingest(topic, payload, clientId, qos) : Promise.resolve();
    },
    onClientGone: (id) => gone.push(id),
    log: (line) => logs.push(line),
  });
  const address = await broker.start();
  const url = `mqtt://127.0.0.1:${address.port}`;
  /** A terminal of `liftId` (or a service account) with a fresh token. */
  const issue = async (liftId: string | null, role: 'terminal' | 'ingest' | 'dashboards' = 'terminal', terminalId?: string) => {
    const t = await registry.add({ liftId: liftId ?? undefined, role, terminalId: terminalId ?? (liftId ? `T-${liftId}` : `svc-${role}`) });
    return { clientId: t.terminal.terminalId, username: t.terminal.terminalId, password: t.token };
  };
  const connect = (opts: IClientOptions, target = url): Promise<MqttClient> => mqtt.connectAsync(target, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  return {
    broker, registry, received, logs, gone, url, address, issue, connect,
    close: async () => {
      await broker.close();
      if (!shared) db.close();
    },
  };
}

/** Resolves with the CONNACK refusal of a connection attempt (mqtt.js puts its return code on the error). */
export async function refusal(p: Promise<MqttClient>): Promise<{ code: number | undefined; message: string }> {
  try {
    const c = await p;
    c.end(true);
    return { code: 0, message: 'connected' };
  } catch (err) {
    return { code: (err as { code?: number }).code, message: (err as Error).message };
  }
}
