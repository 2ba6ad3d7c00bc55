import { connect as netConnect, type Socket } from 'node:net';
import { MqttClient, type IClientOptions } from 'mqtt';
import { liftTopic, lwError, type PresenceRecord, type StreamName } from '@liftwatch/contract';
import type { Spool, SpooledRecord } from './spool/spool.js';

export interface PublisherOptions {
  /** Broker URL, mqtt://host:port (plain TCP: the socket is opened here to set TCP_NODELAY). */
  readonly brokerUrl: string;
  readonly liftId: string;
  /** MQTT client id. @defaultValue `T-${liftId}` */
  readonly clientId?: string;
  /** The terminal's credentials: user name (its terminal id) and token, as the broker's registry issued them. */
  readonly username?: string;
  readonly password?: string;
  /** Messages sent and not yet acknowledged, at most (flow control). @defaultValue 16 */
  readonly maxInflight?: number;
  /** Records in one message when a backlog is waiting (a JSON array). @defaultValue 100 */
  readonly maxRecordsPerMessage?: number;
  /** Bytes of one message, at most (the broker's default limit is 256 KiB). @defaultValue 64 KiB */
  readonly maxMessageBytes?: number;
  /** Pause before the first reconnect after a lost or refused connection, ms; doubled after each failed try. @defaultValue 1000 */
  readonly reconnectPeriodMs?: number;
  /** Longest pause between reconnects, ms (a broker away for long, a terminal disabled on it). @defaultValue 30000 */
  readonly reconnectMaxMs?: number;
  /** MQTT keep-alive, s; the broker sends the last will after 1.5 × this without a packet. @defaultValue 30 */
  readonly keepaliveS?: number;
  /**
   * QoS of the periodic `status` stream. 0 is allowed by the contract (its record leaves the spool
   * once written to the socket); 1 keeps it until PUBACK like everything else. @defaultValue 0
   */
  readonly statusQos?: 0 | 1;
}

export interface PublisherDeps {
  readonly spool: Spool;
  /** A message on the lift's `config` or `cmd` topic (raw bytes; the agent validates it). */
  readonly onDownlink?: (stream: 'config' | 'cmd', payload: Buffer) => void;
  readonly log?: (line: string) => void;
}

export interface PublisherStats {
  readonly connected: boolean;
  /** Records acknowledged by the broker (or written, for QoS 0) since start. */
  readonly sent: number;
  /** Messages sent (one holds one or more records). */
  readonly messages: number;
  readonly inflightMessages: number;
  readonly connects: number;
  /** Tries to connect again since the last connect (after a lost, refused or failed connection). */
  readonly reconnectTries: number;
}

/**
 * Pause before reconnect `attempt` (1, 2, …): `baseMs` doubled after each failed try, at most
 * `maxMs`, then spread by ±20 % so that a fleet refused at once does not come back at once.
 */
export function reconnectDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/** A socket with Nagle's algorithm off: small QoS 1 messages and PUBACKs go out at once. */
function tcpNoDelay(url: URL): () => Socket {
  if (url.protocol !== 'mqtt:' && url.protocol !== 'tcp:') {
    throw lwError('LW_ERR_CONFIG_INVALID', `broker URL ${url.href} uses ${url.protocol}; the edge agent speaks mqtt://host:port (TCP)`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 1883);
  return () => netConnect({ host, port, noDelay: true });
}

/**
 * The MQTT 3.1.1 publisher of one terminal. It reads the spool in seq order and sends what it finds,
 * at most `maxInflight` messages waiting for PUBACK (flow control); a record leaves the spool only
 * after its PUBACK [MQTT-4.3.2]. When several records wait, consecutive records of one stream travel
 * as one JSON array. The presence is retained 'online', with a retained last will 'offline'.
 * On a lost connection mqtt.js resends the unacknowledged messages after reconnecting; after a
 * restart of the agent the spool is read again from its oldest record. Either way a record may arrive
 * twice, always with the same seq, and the platform stores it once.
 */
export function createPublisher(options: PublisherOptions, deps: PublisherDeps) {
  const { liftId } = options;
  const clientId = options.clientId ?? `T-${liftId}`;
  const maxInflight = options.maxInflight ?? 16;
  const maxRecords = options.maxRecordsPerMessage ?? 100;
  const maxBytes = options.maxMessageBytes ?? 64 * 1024;
  const statusQos = options.statusQos ?? 0;
  const presenceTopic = liftTopic(liftId, 'presence');
  const offline: PresenceRecord = { state: 'offline', terminalId: clientId };
  const stats = { sent: 0, messages: 0, connects: 0, reconnectTries: 0 };
  /** Publish-to-PUBACK times since the last linkSample(), ms (at most 256 kept): the link quality. */
  let ackRtts: number[] = [];
  const baseMs = options.reconnectPeriodMs ?? 1000;
  const maxMs = Math.max(baseMs, options.reconnectMaxMs ?? 30_000);

  // A refused CONNACK (bad or disabled credentials [MQTT-3.2.2-5]) ends mqtt.js's reconnects unless
  // reconnectOnConnackError is set: then it tries again like after a lost connection.
  const mqttOptions: IClientOptions = {
    clientId, protocolVersion: 4, clean: true, keepalive: options.keepaliveS ?? 30,
    reconnectPeriod: baseMs, reconnectOnConnackError: true, connectTimeout: 10_000,
    will: { topic: presenceTopic, payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
    ...(options.username === undefined ? {} : { username: options.username, password: options.password ?? '' }),
  };
  const client = new MqttClient(tcpNoDelay(new URL(options.brokerUrl)), mqttOptions);

  /** Seqs handed to mqtt.js and not yet acknowledged; `cursor` is the highest seq handed over. */
  const inflightSeqs = new Set<number>();
  let inflightMessages = 0;
  let cursor = -1;
  let closed = false;
  let pumping = false;
  const pendingAcks: number[] = [];
  let ackFlush: NodeJS.Immediate | undefined;

  let lastError = '';
  let loggedDelay = 0;
  // mqtt.js waits options.reconnectPeriod after each closed connection and reads it anew each time:
  // each try sets the wait after it, and a connect sets it back to the base.
  client.on('reconnect', () => {
    stats.reconnectTries++;
    client.options.reconnectPeriod = reconnectDelayMs(stats.reconnectTries + 1, baseMs, maxMs);
  });
  client.on('connect', () => {
    stats.connects++;
    stats.reconnectTries = 0;
    client.options.reconnectPeriod = baseMs;
    lastError = '';
    loggedDelay = 0;
    const online: PresenceRecord = { state: 'online', ts: Date.now(), terminalId: clientId };
    client.publish(presenceTopic, JSON.stringify(online), { qos: 1, retain: true });
    pump();
  });
  client.on('error', (err) => {
    // While the pause grows, and once per new kind of failure; not once per try at the longest pause.
    const next = client.options.reconnectPeriod ?? baseMs;
    const growing = next > loggedDelay && loggedDelay < maxMs * 0.8;
    if (err.message === lastError && !growing) return;
    lastError = err.message;
    loggedDelay = Math.max(loggedDelay, next);
    deps.log?.(`publisher ${liftId}: ${err.message}; records wait in the spool, next try in ${next} ms (retry ${stats.reconnectTries + 1}; the pause doubles up to ${maxMs} ms)`);
  });
  client.on('message', (topic, payload) => {
    const stream = topic === liftTopic(liftId, 'config') ? 'config' : topic === liftTopic(liftId, 'cmd') ? 'cmd' : undefined;
    if (stream) deps.onDownlink?.(stream, payload);
  });
  client.subscribe([liftTopic(liftId, 'config'), liftTopic(liftId, 'cmd')], { qos: 1 });

  /**
   * Every record travels at QoS 1 and leaves the spool only after PUBACK, periodic ones too (the
   * contract allows QoS 0 for them; a crash of the broker would lose those). Only `status` may use
   * QoS 0, by option: it is the one stream sent often enough that a lost snapshot is replaced soon.
   */
  function qosOf(stream: StreamName): 0 | 1 {
    return stream === 'status' ? statusQos : 1;
  }

  /** Consecutive records of one stream, within the record and byte limits of one message. */
  function nextMessage(rows: SpooledRecord[], from: number): SpooledRecord[] {
    const first = rows[from]!;
    const batch = [first];
    let size = first.body.length + 2;
    for (let i = from + 1; i < rows.length && batch.length < maxRecords; i++) {
      const r = rows[i]!;
      if (r.stream !== first.stream || size + r.body.length + 1 > maxBytes) break;
      batch.push(r);
      size += r.body.length + 1;
    }
    return batch;
  }

  function send(batch: SpooledRecord[]): void {
    const stream = batch[0]!.stream;
    const payload = batch.length === 1 ? batch[0]!.body : `[${batch.map((r) => r.body).join(',')}]`;
    const seqs = batch.map((r) => r.seq);
    for (const s of seqs) inflightSeqs.add(s);
    inflightMessages++;
    stats.messages++;
    const sentAt = performance.now();
    client.publish(liftTopic(liftId, stream), payload, { qos: qosOf(stream) }, (err) => {
      if (!err && qosOf(stream) === 1 && ackRtts.length < 256) ackRtts.push(performance.now() - sentAt);
      inflightMessages--;
      for (const s of seqs) inflightSeqs.delete(s);
      if (err) {
        // Not acknowledged: the records stay in the spool and are read again from their seq.
        cursor = Math.min(cursor, seqs[0]! - 1);
        if (!closed) deps.log?.(`publisher ${liftId}: ${stream} seq ${seqs[0]}…${seqs[seqs.length - 1]} not acknowledged (${err.message}); it stays in the spool`);
      } else {
        stats.sent += seqs.length;
        pendingAcks.push(...seqs);
        ackFlush ??= setImmediate(flushAcks);
      }
      pump();
    });
  }

  /** PUBACKs that arrive together leave the spool in one transaction. */
  function flushAcks(): void {
    ackFlush = undefined;
    if (pendingAcks.length === 0 || closed) return;
    const seqs = pendingAcks.splice(0);
    try {
      deps.spool.ack(liftId, seqs);
    } catch (err) {
      // The records stay in the spool and go again after a restart, with the same seqs.
      deps.log?.(`publisher ${liftId}: could not remove ${seqs.length} acknowledged record(s) from the spool: ${String(err)}`);
    }
  }

  /** Sends what the spool holds, oldest first, while the window has room. */
  function pump(): void {
    if (pumping || closed || !client.connected) return;
    pumping = true;
    try {
      while (inflightMessages < maxInflight && client.connected) {
        const free = maxInflight - inflightMessages;
        const rows = deps.spool.peek(liftId, cursor, free * maxRecords).filter((r) => !inflightSeqs.has(r.seq));
        if (rows.length === 0) break;
        // A lone record goes at once; a backlog is packed into arrays.
        for (let i = 0; i < rows.length && inflightMessages < maxInflight;) {
          const batch = nextMessage(rows, i);
          send(batch);
          cursor = Math.max(cursor, batch[batch.length - 1]!.seq);
          i += batch.length;
        }
      }
    } finally {
      pumping = false;
    }
  }

  return {
    liftId,
    /** Tells the publisher that the spool has new records. */
    kick: pump,
    connected: () => client.connected,
    stats: (): PublisherStats => ({ connected: client.connected, ...stats, inflightMessages }),
    /** The median publish-to-PUBACK time since the previous call, ms (undefined without an acknowledgement), and resets it. */
    linkSample(): number | undefined {
      const sorted = ackRtts.sort((a, b) => a - b);
      ackRtts = [];
      return sorted.length === 0 ? undefined : Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
    },
    /** The mqtt.js client underneath (for diagnostics; records go through the spool, never through it directly). */
    client,
    /**
     * Stops: waits up to `graceMs` for messages in flight, then disconnects cleanly (no last will).
     * Whatever is not acknowledged stays in the spool for the next start.
     */
    async close(graceMs = 2_000): Promise<void> {
      const deadline = Date.now() + graceMs;
      while (inflightMessages > 0 && client.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (ackFlush) clearImmediate(ackFlush);
      flushAcks();
      closed = true;
      await client.endAsync(!client.connected);
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
