import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { clip, errorText, liftTopicFilter } from '@liftwatch/contract';

export interface SubscriberFrontDoorConfig {
  /** URL of the broker the terminals use (Mosquitto, EMQX, HiveMQ…), e.g. mqtt://broker:1883. */
  readonly url: string;
  /** Client id of this ingest worker; keep it stable so its persistent session survives a restart. */
  readonly clientId: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /**
   * Shared-subscription group: workers in one group split the messages between them
   * (`$share/{group}/…`, MQTT 5 §4.8.2; Mosquitto 2, EMQX, HiveMQ).
   * @defaultValue undefined (a plain subscription: this worker gets every message)
   */
  readonly shareGroup?: string | undefined;
  /** Extra mqtt.js options, e.g. `ca` for TLS. */
  readonly mqttOptions?: IClientOptions | undefined;
}

export interface SubscriberFrontDoorDeps {
  /** Stores one message; its PUBACK to the broker is sent only after this resolves. */
  readonly onPublish: (topic: string, payload: Buffer, clientId: string | null) => Promise<void>;
  readonly log?: (line: string) => void;
}

/**
 * Ingest's second front door: a service-account subscriber to another broker, for users who run
 * Mosquitto or EMQX instead of liftwatch's broker. QoS 1 messages are acknowledged only after
 * `onPublish` resolves, and the session is persistent (clean = false), so a message that could not be
 * stored is delivered again after a reconnect [MQTT-4.4.0-1]. It speaks MQTT 5 to that broker. The
 * publishing terminal's id is not known here (MQTT does not carry it): `clientId` is null.
 */
export function createSubscriberFrontDoor(config: SubscriberFrontDoorConfig, deps: SubscriberFrontDoorDeps) {
  const log = deps.log ?? (() => {});
  const filter = config.shareGroup ? `$share/${config.shareGroup}/${liftTopicFilter()}` : liftTopicFilter();
  const counters = { received: 0, failed: 0 };
  let client: MqttClient | undefined;
  /** A throw from ingest is a rejection here: it costs the message its acknowledgement, never the process. */
  const ingest = (topic: string, payload: Buffer): Promise<void> => {
    try {
      return deps.onPublish(topic, payload, null);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  };

  async function start(): Promise<void> {
    client = await mqtt.connectAsync(config.url, {
      // MQTT 5: shared subscriptions are a 5.0 feature, and mqtt.js lets us hold the PUBACK (customHandleAcks)
      // only on 5. A persistent session (clean start off, session expiry) keeps unacknowledged messages.
      protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 1000, clientId: config.clientId,
      ...(config.username !== undefined ? { username: config.username } : {}),
      ...(config.password !== undefined ? { password: config.password } : {}),
      ...config.mqttOptions,
      customHandleAcks: (topic, message, _packet, done) => {
        counters.received++;
        ingest(topic, message).then(() => done(0), (err: unknown) => {
          counters.failed++;
          log(`front door: ${clip(topic, 200)} not stored, it will be delivered again: ${errorText(err)}`);
          done(err as Error); // no PUBACK...
          client?.stream.destroy(); // ...and a new connection, on which the broker sends it again [MQTT-4.4.0-1]
        });
      },
    });
    const c = client;
    c.on('message', (topic, payload, packet) => {
      if (packet.qos !== 0) return; // QoS 1 and 2 went through customHandleAcks
      counters.received++;
      ingest(topic, payload).catch((err: unknown) => {
        counters.failed++;
        log(`front door: QoS 0 message on ${clip(topic, 200)} not stored: ${errorText(err)}`);
      });
    });
    c.on('error', (err) => log(`front door: ${err.message}`));
    const granted = await c.subscribeAsync(filter, { qos: 1 });
    if (granted[0]?.qos === 128) throw new Error(`the broker at ${config.url} refused the subscription ${filter}: give this account read access to lift/v1/#`);
  }

  return {
    start,
    close: async (): Promise<void> => {
      await client?.endAsync();
    },
    stats: () => ({ ...counters, filter }),
  };
}

export type SubscriberFrontDoor = ReturnType<typeof createSubscriberFrontDoor>;
