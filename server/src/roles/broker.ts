import { readFileSync } from 'node:fs';
import { createBroker, type Broker, type BrokerConfig } from '@liftwatch/broker';
import { lwError } from '@liftwatch/contract';
import type { AllInOneConfig } from '../config.js';
import type { IngestPart } from './ingest.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface BrokerPart {
  /** Its clients and counters (summed over the MQTT workers when there are several). */
  readonly broker: Pick<Broker, 'clients' | 'metrics'>;
  /** mqtt://host:port of its TCP listener, and of TLS and WebSocket when those are on. */
  readonly mqttUrl: string;
  readonly mqttTlsUrl: string | undefined;
  readonly mqttWsUrl: string | undefined;
  /** Publishes from the broker itself (no client: not subject to the terminals' ACL), QoS 1: config and cmd to terminals. */
  readonly publish: (topic: string, payload: string, retain: boolean) => Promise<void>;
  /** The MQTT worker processes running now, by index (none when the broker runs in this process). */
  readonly workers?: () => Array<{ index: number; pid: number; listening: boolean }>;
}

/**
 * The broker role: MQTT listeners for the terminals in the registry. With the ingest role here, each
 * message is stored before it is acknowledged; without it the broker only routes messages (to an
 * ingest node subscribed through the cluster).
 */
export function startBroker(config: Readonly<AllInOneConfig>, { log, metrics, node, ingest }: Shared & { node: NodeState; ingest: IngestPart | undefined }): Promise<Part<BrokerPart>> {
  return part(log, async (defer) => {
    const broker = createBroker(brokerConfigOf(config), {
      registry: node.terminals,
      onPublish: ingest ? ingest.ingest.handle : () => Promise.resolve(),
      onClientGone: (clientId) => void ingest?.ingest.clientGone(clientId).catch((err: unknown) => log(`liftwatch: presence of ${clientId}: ${String(err)}`)),
      log,
    });
    defer(() => broker.close());
    const mqtt = await broker.start();
    metrics.from({ mqttClients: () => broker.clients(), broker: () => broker.metrics() });
    const host = mqtt.host.includes(':') ? `[${mqtt.host}]` : mqtt.host;
    return {
      broker, mqttUrl: `mqtt://${host}:${mqtt.port}`,
      publish: (topic, payload, retain) => new Promise<void>((resolve, reject) => {
        broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, (err) => (err ? reject(err) : resolve()));
      }),
      mqttTlsUrl: mqtt.tlsPort === undefined ? undefined : `mqtts://${host}:${mqtt.tlsPort}`,
      mqttWsUrl: mqtt.wsPort === undefined ? undefined : `ws://${host}:${mqtt.wsPort}`,
    };
  });
}

/** The broker's settings, the same in this process and in its MQTT workers. */
export function brokerConfigOf(config: Readonly<AllInOneConfig>): BrokerConfig {
  return {
    host: config.host, port: config.mqttPort,
    allowAnonymous: config.mqttAllowAnonymous,
    tlsPort: config.mqttTlsPort >= 0 ? config.mqttTlsPort : undefined,
    tls: config.mqttTlsPort >= 0 ? readTls(config) : undefined,
    wsPort: config.mqttWsPort >= 0 ? config.mqttWsPort : undefined,
    redisUrl: config.redisUrl === '' ? undefined : config.redisUrl,
    limits: {
      maxPacketBytes: config.mqttMaxPacketBytes, connectionsPerSecondPerAddress: config.mqttConnectionsPerSecond,
      publishesPerSecondPerClient: config.mqttPublishesPerSecond, maxInflightPerClient: config.mqttMaxInflight, keepaliveLimitS: config.mqttKeepaliveLimitS,
      maxOutgoingMessagesPerClient: config.mqttMaxOutgoingMessages, maxOutgoingBytesPerClient: config.mqttMaxOutgoingBytes, slowSubscriberGraceS: config.mqttSlowSubscriberGraceS,
    },
    proxyProtocolFrom: config.mqttProxyProtocolFrom === '' ? undefined : config.mqttProxyProtocolFrom,
  };
}

function readTls(config: Readonly<AllInOneConfig>): { key: Buffer; cert: Buffer; ca?: Buffer } {
  const read = (file: string, flag: string) => {
    if (file === '') throw lwError('LW_ERR_CONFIG_INVALID', `--mqtt-tls-port is set but ${flag} is empty: give the PEM file, or set --mqtt-tls-port -1`);
    try {
      return readFileSync(file);
    } catch (err) {
      throw lwError('LW_ERR_CONFIG_INVALID', `${flag} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a readable PEM file`, err);
    }
  };
  const key = read(config.mqttTlsKey, '--mqtt-tls-key');
  const cert = read(config.mqttTlsCert, '--mqtt-tls-cert');
  return config.mqttTlsCa === '' ? { key, cert } : { key, cert, ca: read(config.mqttTlsCa, '--mqtt-tls-ca') };
}
