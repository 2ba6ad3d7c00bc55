import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import { clip, LiftwatchError, MAX_LOG_LINE_CHARS } from '@liftwatch/contract';
import { redisClusterParts } from './cluster.js';
import { keepaliveHeld } from './connect-check.js';
import { gateConnect } from './connect-gate.js';
import { createHooks, type Session } from './hooks.js';
import { createKeyedLimiter, DEFAULT_LIMITS, type BrokerLimits } from './limits.js';
import { listenTcp, listenTls, listenWebSocket, type Listening, type Origin, type ProxyProtocol, type TlsMaterial } from './listeners.js';
import { createBrokerMetrics } from './metrics.js';
import { boundOutgoing, type BacklogEvents } from './outgoing-backlog.js';
import { guardPacketSize } from './packet-guard.js';
import { trustedProxies } from './proxy-protocol.js';
import { oncePerQos2Message, type IncomingStore } from './qos2-resend.js';
import type { TerminalRegistry } from './terminal-registry.js';

/** Between broker nodes only: `$SYS` topics are not matched by clients' wildcards [MQTT-4.7.2-1], and the ACL lets no client subscribe to them. */
const REVOKED_TOPIC = '$SYS/liftwatch/terminal-revoked';
/** The part of aedes' message emitter (mqemitter, or mqemitter-redis in cluster mode) used here. */
interface RevocationBus {
  on(topic: string, handler: (packet: { topic: string; payload: unknown }, done: () => void) => void): void;
  emit(packet: { topic: string; payload: string }, done?: (err?: Error) => void): void;
}

export interface BrokerConfig {
  /** Address to listen on. @defaultValue '127.0.0.1' */
  readonly host: string;
  /** MQTT over TCP port; 0 picks a free one. @defaultValue 1883 */
  readonly port: number;
  /** MQTT over TLS port; 0 picks a free one; needs `tls`. @defaultValue undefined (no TLS listener) */
  readonly tlsPort?: number | undefined;
  /** Key, certificate and (for client certificates) the CA, as PEM. @defaultValue undefined */
  readonly tls?: TlsMaterial | undefined;
  /** MQTT over WebSocket port; 0 picks a free one. @defaultValue undefined (no WebSocket listener) */
  readonly wsPort?: number | undefined;
  /** Let clients without a token or certificate publish any lift's up streams. Trials only. @defaultValue false */
  readonly allowAnonymous?: boolean | undefined;
  /** Limits; each missing one takes its default from DEFAULT_LIMITS. */
  readonly limits?: Partial<BrokerLimits> | undefined;
  /** Redis URL: several broker processes share subscriptions, retained messages and wills. @defaultValue undefined (one process) */
  readonly redisUrl?: string | undefined;
  /**
   * With `redisUrl`: a terminal's record goes through Redis only when a client of some broker process
   * subscribed to a filter that matches it, else only to this process's subscribers (upstream-gate.ts).
   * For processes that each store what their own clients send (a node's MQTT workers).
   * @defaultValue false: every message through Redis
   */
  readonly recordsThroughRedisWhenSubscribed?: boolean | undefined;
  /**
   * Load balancers whose connections start with a PROXY protocol header (v1 or v2) naming the client:
   * addresses and CIDR blocks, comma-separated. Limits and logs then see the client's address. TCP and
   * TLS listeners. @defaultValue undefined (no PROXY protocol)
   */
  readonly proxyProtocolFrom?: string | undefined;
}

/** Time a new connection has to send its whole CONNECT (aedes' own connectTimeout). */
const CONNECT_TIMEOUT_MS = 30_000;

/** What the broker asks of the terminal registry (an MQTT worker of a node asks the primary's). */
export type BrokerRegistry = Pick<TerminalRegistry, 'verify' | 'principalOf' | 'onRevoke'>;

export interface BrokerDeps {
  /** Who may connect (README.md#who-may-do-what): terminals and service accounts with their tokens. */
  readonly registry: BrokerRegistry;
  /**
   * Called for every message a client publishes, after the ACL and limits, before the broker acknowledges
   * it. The broker sends PUBACK only after the returned promise resolves; a rejection closes the client's
   * connection without PUBACK, so the client keeps the message and sends it again (MQTT-4.4.0-1).
   * `clientId` is null for a last will published after its client is gone.
   */
  readonly onPublish: (topic: string, payload: Buffer, clientId: string | null, qos?: 0 | 1 | 2) => Promise<void>;
  /**
   * Called when a client's connection is gone, cleanly or not, unless a new connection with the same
   * client id has taken its place. A clean DISCONNECT sends no last will, so presence needs this too.
   */
  readonly onClientGone?: (clientId: string) => void;
  readonly log?: (line: string) => void;
}

/**
 * The aedes MQTT 3.1.1 broker: authenticated terminals and service accounts, ACLs, limits, TCP/TLS/WebSocket
 * listeners with TCP_NODELAY, optional Redis cluster mode, and ingest in its authorizePublish hook: no second
 * hop, and "acknowledged" means "stored". (aedes writes PUBACK before its `published` hook runs, so storing
 * there would acknowledge records that are not yet safe.)
 */
export function createBroker(config: BrokerConfig, deps: BrokerDeps) {
  const limits: BrokerLimits = Object.freeze({ ...DEFAULT_LIMITS, ...config.limits });
  const sink = deps.log;
  /** Every line bounded: a line may quote a topic, a client id or an error, whose length a client decides. */
  const log = (line: string): void => sink?.(clip(line, MAX_LOG_LINE_CHARS));
  const metrics = createBrokerMetrics();
  const sessions = new WeakMap<Client, Session>();
  const cluster = config.redisUrl ? redisClusterParts(config.redisUrl, config.recordsThroughRedisWhenSubscribed ?? false, log) : undefined;
  const options: AedesOptions = {
    maxClientsIdLength: 64, // terminal ids are lift ids: up to 64 characters (MQTT 3.1.1 §3.1.3.1 allows more than 23)
    // No keepalive refusal in aedes: it answers with CONNACK 6, which MQTT 3.1.1 reserves [MQTT-3.2.2-6].
    // preConnect holds a client to the limit instead (keepaliveHeld).
    keepaliveLimit: 0,
    // aedes' own cut of a socket that does not drain: later than boundOutgoing's, which logs and counts.
    drainTimeout: limits.slowSubscriberGraceS * 1000 + 60_000,
    ...(cluster ? { mq: cluster.mq, persistence: cluster.persistence } : {}),
  };
  const aedes = new Aedes(options);
  const hooks = createHooks({ registry: deps.registry, limits, allowAnonymous: config.allowAnonymous ?? false, metrics, sessions, onPublish: deps.onPublish, log });
  aedes.authenticate = hooks.authenticate;
  aedes.authorizePublish = oncePerQos2Message(() => (aedes as unknown as { persistence: IncomingStore }).persistence, hooks.authorizePublish);
  aedes.preConnect = (_client, packet, callback) => {
    packet.keepalive = keepaliveHeld(packet.keepalive ?? 0, limits.keepaliveLimitS);
    callback(null, true);
  };
  const gate = cluster?.gate;
  // A filter that may match records is known to every process before its SUBACK.
  aedes.authorizeSubscribe = !gate ? hooks.authorizeSubscribe : (client, sub, callback) => hooks.authorizeSubscribe(client, sub, (err, allowed) => {
    if (err || !allowed) return callback(err, allowed);
    gate.announce(allowed.topic).then(() => callback(null, allowed), (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), null));
  });
  /** One log line per address (or client) and kind per 10 s, so that a flood does not flood the log too. */
  const logged = new Map<string, number>();
  const logThrottled = (address: string, kind: string, line: string) => {
    const now = Date.now();
    if ((logged.get(`${address}\0${kind}`) ?? 0) + 10_000 > now) return;
    if (logged.size > 10_000) logged.clear();
    logged.set(`${address}\0${kind}`, now);
    log(line);
  };
  aedes.on('clientError', (client, err) => {
    // Ours are logged where raised. aedes reports each write still pending at a close ("connection closed"): one line is enough.
    if (!(err instanceof LiftwatchError)) logThrottled(client.id, err.message, `broker: client ${client.id}: ${err.message}`);
  });
  aedes.on('connectionError', (client, err) => log(`broker: connection from ${sessions.get(client)?.address ?? '?'}: ${err.message}`));
  aedes.on('clientDisconnect', (client) => {
    // aedes keeps connected clients by id (not in its typings); a takeover has already put the new one there.
    if (!Object.hasOwn(connected(), client.id)) deps.onClientGone?.(client.id);
  });
  const connected = () => (aedes as unknown as { clients: Record<string, Client & { close(cb?: () => void): void }> }).clients;
  const dropRevoked = (terminalId: string, why: string) => {
    const client = connected()[terminalId];
    if (!client) return;
    log(`broker: disconnected client ${terminalId}: its token was ${why}`);
    client.close();
  };
  // A terminal disabled or rotated through one node is dropped by every node: the revocation goes out
  // on the broker's message bus (mqemitter-redis in cluster mode). The handler only drops the local
  // connection, so a revocation is never sent on again.
  const mq = (aedes as unknown as { mq: RevocationBus }).mq;
  mq.on(REVOKED_TOPIC, (packet, done) => {
    try {
      const { terminalId, why } = JSON.parse(String(packet.payload)) as { terminalId: string; why: string };
      dropRevoked(terminalId, why);
    } catch (err) {
      log(`broker: unreadable revocation ${String(packet.payload).slice(0, 200)}: ${String(err)}`);
    }
    done();
  });
  deps.registry.onRevoke((terminalId, why) => {
    dropRevoked(terminalId, why);
    mq.emit({ topic: REVOKED_TOPIC, payload: JSON.stringify({ terminalId, why }) });
  });

  const connectionLimiter = createKeyedLimiter(limits.connectionsPerSecondPerAddress, 5 * limits.connectionsPerSecondPerAddress);
  const outgoingBounds = { maxMessages: limits.maxOutgoingMessagesPerClient, maxBytes: limits.maxOutgoingBytesPerClient, graceMs: limits.slowSubscriberGraceS * 1000 };
  const backlogEvents: BacklogEvents = {
    dropped: (client, limit) => {
      metrics.outgoingDropped();
      logThrottled(client.id, 'backlog', `broker: client ${client.id} reads slower than its messages come: its QoS 0 messages are dropped while ${outgoingBounds.maxMessages} messages or ${outgoingBounds.maxBytes} bytes wait for it (limit ${limit}); it is disconnected if this lasts ${limits.slowSubscriberGraceS} s`);
    },
    disconnected: (client, limit, why) => {
      metrics.limit(limit);
      log(`broker: disconnected client ${client.id}: ${why} (limit ${limit})`);
    },
    keep: (client, packet) => (aedes as unknown as { persistence: { outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void> } }).persistence.outgoingEnqueue({ clientId: client.id }, packet),
  };
  const accept = (transport: Session['transport']) => (stream: Duplex, socket: Socket, { address, req }: Origin) => {
    socket.setNoDelay(true); // Nagle + delayed ACK add ~40 ms to a QoS 1 round trip
    if (!connectionLimiter.take(address, Date.now())) {
      metrics.refused('connectionsPerSecondPerAddress');
      metrics.limit('connectionsPerSecondPerAddress');
      logThrottled(address, 'flood', `broker: refused connection from ${address}: more than ${limits.connectionsPerSecondPerAddress} new connections a second (limit connectionsPerSecondPerAddress; further refusals from this address are counted, not logged, for 10 s)`);
      stream.destroy();
      socket.destroy();
      return;
    }
    void gateConnect(stream, {
      maxPacketBytes: limits.maxPacketBytes,
      timeoutMs: CONNECT_TIMEOUT_MS,
      onRefused: (reason, clause, connack) => {
        metrics.refused(connack === 1 ? 'unacceptableProtocolLevel' : connack === 2 ? 'identifierRejected' : 'malformedConnect');
        logThrottled(address, clause, `broker: refused connection from ${address}: ${reason} [${clause}]: ${connack === undefined ? 'closed' : `CONNACK ${connack}, closed`} (LW_ERR_MQTT_PROTOCOL)`);
      },
    }).then((passed) => {
      if (!passed) return;
      const client = aedes.handle(stream, req);
      sessions.set(client, { address, transport, socket, inflight: 0, allowed: new Set(), waiting: [] });
      boundOutgoing(client, stream, outgoingBounds, backlogEvents);
      guardPacketSize(client, limits.maxPacketBytes, (bytes, cmd) => {
        metrics.limit('maxPacketBytes');
        log(`broker: disconnected client ${client.id ?? address}: ${cmd} of ${bytes} bytes is larger than ${limits.maxPacketBytes} (limit maxPacketBytes)`);
      });
    });
  };
  const proxy: ProxyProtocol | undefined = config.proxyProtocolFrom ? {
    trusted: trustedProxies(config.proxyProtocolFrom),
    onInvalid: (from, reason) => {
      metrics.refused('proxyHeaderInvalid');
      logThrottled(from, 'proxy', `broker: closed connection from proxy ${from}: ${reason}; a proxy listed in proxyProtocolFrom must start each connection with a PROXY protocol v1 or v2 header (LW_ERR_MQTT_PROTOCOL)`);
    },
  } : undefined;

  const listening: Listening[] = [];
  async function start(): Promise<{ host: string; port: number; tlsPort?: number; wsPort?: number }> {
    await cluster?.gate?.start();
    await aedes.listen();
    const tcp = await listenTcp(config.host, config.port, accept('tcp'), proxy);
    listening.push(tcp);
    const out: { host: string; port: number; tlsPort?: number; wsPort?: number } = { host: tcp.host, port: tcp.port };
    if (config.tlsPort !== undefined && config.tls) {
      const tls = await listenTls(config.host, config.tlsPort, config.tls, accept('tls'), proxy);
      listening.push(tls);
      out.tlsPort = tls.port;
    }
    if (config.wsPort !== undefined) {
      const ws = await listenWebSocket(config.host, config.wsPort, accept('ws'));
      listening.push(ws);
      out.wsPort = ws.port;
    }
    return out;
  }

  async function close(): Promise<void> {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const l of listening.splice(0)) await l.close();
    await cluster?.close();
  }

  return {
    start, close, aedes,
    clients: (): number => aedes.connectedClients,
    metrics: () => ({ connectedClients: aedes.connectedClients, ...metrics.snapshot() }),
    limits,
  };
}

export type Broker = ReturnType<typeof createBroker>;
