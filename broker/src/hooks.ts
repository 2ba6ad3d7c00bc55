import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { AuthenticateError, AuthorizePublishHandler, AuthorizeSubscribeHandler, Client } from 'aedes';
import { clip, errorText, LiftwatchError, lwError } from '@liftwatch/contract';
import { isDownTopic, mayPublish, maySubscribe } from './acl.js';
import { TokenBucket, type BrokerLimits } from './limits.js';
import type { BrokerMetrics } from './metrics.js';
import type { Principal, TerminalRegistry } from './terminal-registry.js';

/** What the broker knows of one connection, from accept to close. */
export interface Session {
  readonly address: string;
  readonly transport: 'tcp' | 'tls' | 'ws';
  readonly socket: Socket;
  principal?: Principal;
  bucket?: TokenBucket;
  inflight: number;
  /** Topics this client was already allowed to publish to (the ACL's answer does not change during a session). */
  readonly allowed: Set<string>;
  /** Messages waiting for a place in the in-flight window. */
  readonly waiting: InWindow[];
}

/**
 * A message of a client from authorizePublish to its answer: through the ACL and the publish rate,
 * then to the store inside (or waiting for) the client's in-flight window.
 */
export interface InWindow {
  /** The client's session; set by the publish steps before the message enters the window. */
  session: Session | undefined;
  readonly topic: string;
  readonly payload: Buffer;
  readonly clientId: string;
  readonly qos: 0 | 1 | 2;
  /** aedes's callback: PUBACK (QoS 1) or an error that closes the connection; called once (answer). */
  readonly callback: (err?: Error | null) => void;
  answered: boolean;
  /** Stores tried again so far after the store could not take it (the backoff's step). */
  attempt: number;
}

export interface HookContext {
  readonly registry: Pick<TerminalRegistry, 'verify' | 'principalOf'>;
  readonly limits: BrokerLimits;
  readonly allowAnonymous: boolean;
  readonly metrics: BrokerMetrics;
  readonly sessions: WeakMap<Client, Session>;
  readonly onPublish: (topic: string, payload: Buffer, clientId: string | null, qos?: 0 | 1 | 2) => Promise<void>;
  readonly log: (line: string) => void;
}

const SYS_PREFIX = '$SYS/';
/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3. */
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;
/** A QoS 1 message that would wait longer than this for its turn under the publish rate disconnects its client. */
const MAX_RATE_WAIT_MS = 10_000;
/** First and longest pause before a held message is stored again, ms. */
const HOLD_RETRY_MIN_MS = 250;
const HOLD_RETRY_MAX_MS = 5_000;

/** The store could not take the message now (full disk, store down or behind): worth another try, not a reason to disconnect. */
const storeUnavailable = (err: unknown): boolean => err instanceof LiftwatchError && err.code === 'LW_ERR_STORAGE';

/** The message's callback, answered once whatever happens after the first answer. */
function answer(m: InWindow, err: Error | null): void {
  if (m.answered) return;
  m.answered = true;
  m.callback(err);
}

const refusal = (code: number, message: string): AuthenticateError => Object.assign(lwError('LW_ERR_AUTH_FAILED', message), { returnCode: code });

/** The verified subject CN of a TLS client certificate, if the socket has one (RFC 5280 §4.1.2.6). */
function certificateName(session: Session): string | undefined {
  if (session.transport !== 'tls') return undefined;
  const tls = session.socket as TLSSocket;
  if (!tls.authorized) return undefined;
  const cn = tls.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

/**
 * The connect steps, in order: who is it (token, or verified certificate, or anonymous when allowed),
 * and is its last will a topic it may publish to (checked now, so a will is never refused later).
 */
export function createHooks(ctx: HookContext) {
  const { registry, limits, metrics, sessions, log } = ctx;

  async function identify(client: Client, session: Session, username: string | undefined, password: Buffer | undefined): Promise<Principal> {
    const id = client.id;
    if (password && password.length > 0) {
      if (username !== undefined && username !== '' && username !== id) {
        throw refusal(BAD_CREDENTIALS, `username ${JSON.stringify(username)} differs from client id ${JSON.stringify(id)}: use the terminal id as both`);
      }
      const r = await registry.verify(id, password.toString('utf8'));
      if (!r.ok) throw refusal(BAD_CREDENTIALS, r.reason);
      return r.principal;
    }
    const cn = certificateName(session);
    if (cn !== undefined) {
      if (cn !== id) throw refusal(NOT_AUTHORIZED, `client certificate is for ${JSON.stringify(cn)} but the client id is ${JSON.stringify(id)}`);
      const p = await registry.principalOf(id);
      if (!p) throw refusal(NOT_AUTHORIZED, `client certificate names ${id}, which is not a registered, enabled terminal`);
      return p;
    }
    if (ctx.allowAnonymous) return { id, role: 'anonymous', liftId: null };
    throw refusal(NOT_AUTHORIZED, 'no token and no client certificate, and anonymous access is off');
  }

  const authenticate = (client: Client, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>, done: (err: AuthenticateError | null, ok: boolean | null) => void) => {
    const session = sessions.get(client);
    if (!session) return done(refusal(NOT_AUTHORIZED, 'connection unknown to the broker'), false);
    identify(client, session, username, password).then((principal) => {
      const will = (client as unknown as { _will?: { topic: string } | null })._will;
      const willRefused = will ? mayPublish(principal, will.topic) : null;
      if (willRefused) throw refusal(NOT_AUTHORIZED, `last will refused: ${willRefused}`);
      session.principal = principal;
      session.bucket = new TokenBucket(limits.publishesPerSecondPerClient, 2 * limits.publishesPerSecondPerClient, Date.now());
      metrics.accepted();
      done(null, true);
    }).catch((err: AuthenticateError) => {
      metrics.refused(err.returnCode === BAD_CREDENTIALS ? 'badCredentials' : 'notAuthorized');
      log(`broker: refused connection of client ${JSON.stringify(client.id)} from ${session.address}: ${err.message}`);
      done(err.returnCode ? err : refusal(NOT_AUTHORIZED, String(err)), false);
    });
  };

  /** One log line per client and limit per 10 s, so a flood does not flood the log too. */
  const lastLogged = new Map<string, number>();
  const logLimit = (client: Client, limit: string, line: string) => {
    metrics.limit(limit);
    const key = `${client.id}\0${limit}`;
    const now = Date.now();
    if ((lastLogged.get(key) ?? 0) + 10_000 > now) return;
    if (lastLogged.size > 10_000) lastLogged.clear();
    lastLogged.set(key, now);
    log(`broker: client ${client.id}: ${line} (limit ${limit})`);
  };

  /** One line per 10 s while messages are held, with how many were held meanwhile. */
  let heldLoggedAt = -Infinity;
  let heldSince = 0;
  const logHeld = (clientId: string, err: Error) => {
    heldSince++;
    const now = Date.now();
    if (now - heldLoggedAt < 10_000) return;
    log(`broker: ${heldSince} message(s) held without acknowledgement, the last of client ${clientId}: ${err.message}; they are stored again with backoff and acknowledged then, the connections stay`);
    heldLoggedAt = now;
    heldSince = 0;
  };

  /**
   * Runs ingest for one message within the client's in-flight window; the rest wait their turn
   * (backpressure). QoS 1 waits for the store before PUBACK. QoS 0 has no acknowledgement to hold
   * [MQTT-4.3.1], so the broker goes on at once and the store runs beside it, still inside the window.
   * A QoS 1/2 message the store cannot take now (LW_ERR_STORAGE: disk full, store down or behind) is
   * held: no acknowledgement and no disconnect, stored again after a pause (backoff) and acknowledged
   * once stored. It keeps its place in the window, so a client's held messages are bounded by
   * maxInflightPerClient, and aedes reads nothing more from that client meanwhile (TCP backpressure).
   * The message travels as one object from authorizePublish to its answer (no closures made per
   * message but the store's one pair of promise handlers).
   */
  function ingest(m: InWindow): void {
    const session = m.session!;
    if (session.inflight < limits.maxInflightPerClient) enter(m);
    else session.waiting.push(m);
  }

  /** The message takes its place in the window and goes to the store. */
  function enter(m: InWindow): void {
    m.session!.inflight++;
    metrics.published(m.payload.length);
    store(m);
    if (m.qos === 0) answer(m, null);
  }

  /**
   * Messages whose stores answer with the same promise one after the other (a commit shared by
   * several, or a QoS 0 store's answer at once) are settled together by one pair of handlers.
   */
  let storing: { stored: Promise<void>; messages: InWindow[] } | undefined;

  function store(m: InWindow): void {
    let stored: Promise<void>;
    try {
      stored = ctx.onPublish(m.topic, m.payload, m.clientId, m.qos);
    } catch (err) {
      stored = Promise.reject(err);
    }
    if (storing?.stored === stored) {
      storing.messages.push(m);
      return;
    }
    const group = { stored, messages: [m] };
    storing = group;
    stored.then(() => settleAll(group, true, undefined), (err: unknown) => settleAll(group, false, err));
  }

  /** Each message of the group settled; a fault in one (aedes's callback) leaves the others' answers. */
  function settleAll(group: { messages: InWindow[] }, ok: boolean, err: unknown): void {
    if (storing === group) storing = undefined;
    for (const m of group.messages) {
      try {
        if (ok) settle(m, null);
        else storeFailed(m, ingestError(err, m.topic, m.clientId));
      } catch (fault) {
        log(`broker: client ${m.clientId}: answering the message on ${clip(m.topic, 200)} failed (${errorText(fault)})`);
      }
    }
  }

  /** A store that cannot take it now holds it (stored again after a pause); any other failure answers it. */
  function storeFailed(m: InWindow, err: Error): void {
    if (m.qos === 0 || !storeUnavailable(err) || m.session!.socket.destroyed) return settle(m, err);
    metrics.held();
    logHeld(m.clientId, err);
    const pause = Math.min(HOLD_RETRY_MAX_MS, HOLD_RETRY_MIN_MS * 2 ** m.attempt) * (0.75 + Math.random() * 0.5);
    m.attempt++;
    setTimeout(store, pause, m).unref();
  }

  /** The message leaves the window (answered, for QoS 1 and 2); the next one waiting enters. */
  function settle(m: InWindow, err: Error | null): void {
    const session = m.session!;
    session.inflight--;
    if (m.qos > 0) answer(m, err);
    else if (err) log(`broker: QoS 0 message of client ${m.clientId} on ${clip(m.topic, 200)} not stored: ${errorText(err)}`);
    const next = session.waiting.shift();
    if (next) enter(next);
  }

  /**
   * Ingest, with any fault of its own turned into a rejection: ingest rejects only when the store
   * failed (a message that makes it fail otherwise is a dead letter), so anything else is a fault in
   * ingest, which costs the message its acknowledgement and its client the connection, never the
   * process. The line logged is short whatever the error.
   */
  function ingestSafely(topic: string, payload: Buffer, clientId: string | null, qos: 0 | 1 | 2): Promise<void> {
    try {
      return ctx.onPublish(topic, payload, clientId, qos).catch((err: unknown) => Promise.reject(ingestError(err, topic, clientId)));
    } catch (err) {
      return Promise.reject(ingestError(err, topic, clientId));
    }
  }

  /** The error a failure of ingest answers with: its own (a store failure, which ingest logged), else LW_ERR_INTERNAL, logged here. */
  function ingestError(err: unknown, topic: string, clientId: string | null): Error {
    if (err instanceof LiftwatchError) return err;
    const why = errorText(err);
    log(`broker: client ${clientId ?? '(a last will)'}: ingest failed on ${clip(topic, 200)} (${why}): not acknowledged, connection closed (LW_ERR_INTERNAL)`);
    return lwError('LW_ERR_INTERNAL', `ingest failed: ${why}`);
  }

  /** ACL, then the publish rate, then ingest; a fault in any of them answers the packet once, with an error. */
  const authorizePublish: AuthorizePublishHandler = (client, packet, callback) => {
    const m: InWindow = { session: undefined, topic: packet.topic, payload: packet.payload as Buffer, clientId: client?.id ?? '', qos: packet.qos, callback, answered: false, attempt: 0 };
    try {
      publishSteps(client, packet, m);
    } catch (err) {
      log(`broker: client ${client?.id ?? '(a last will)'}: publish on ${clip(packet.topic, 200)} failed in the broker (${errorText(err)}): not acknowledged (LW_ERR_INTERNAL)`);
      answer(m, lwError('LW_ERR_INTERNAL', `publish failed: ${errorText(err)}`));
    }
  };

  /** ACL, then the publish rate, then ingest; PUBACK only after ingest has stored the record (see broker.ts). */
  function publishSteps(client: Client | null, packet: Parameters<AuthorizePublishHandler>[1], m: InWindow): void {
    const payload = m.payload;
    if (packet.topic.startsWith(SYS_PREFIX)) return answer(m, new Error(`${SYS_PREFIX} topics are reserved for the broker`));
    if (client === null) {
      // A will of a client on a broker node that died (cluster mode): its topic was checked at CONNECT.
      return void ingestSafely(packet.topic, payload, null, packet.qos).then(() => answer(m, null), (err: Error) => answer(m, err));
    }
    const session = sessions.get(client);
    const principal = session?.principal;
    if (!session || !principal) return answer(m, new Error('publish before authentication'));
    m.session = session;
    const refused = session.allowed.has(packet.topic) ? null : mayPublish(principal, packet.topic);
    if (refused === null && session.allowed.size < 64) session.allowed.add(packet.topic); // a terminal uses a dozen topics
    if (refused) {
      metrics.publishRefused('forbidden');
      log(`broker: disconnected client ${client.id}: ${refused} (LW_ERR_TOPIC_FORBIDDEN)`);
      return answer(m, lwError('LW_ERR_TOPIC_FORBIDDEN', refused)); // [MQTT-3.3.5-2]: no ack, close the connection
    }
    if (principal.role === 'dashboards' && isDownTopic(packet.topic)) return answer(m, null); // config or cmd from the platform: delivered, not ingested
    const isWill = (client as unknown as { will?: unknown }).will === packet;
    const waitMs = isWill || !session.bucket ? 0 : session.bucket.reserve(Date.now());
    if (waitMs === 0) return ingest(m);
    const rate = limits.publishesPerSecondPerClient;
    if (waitMs > MAX_RATE_WAIT_MS) {
      logLimit(client, 'publishesPerSecondPerClient', `publishes so far above ${rate} messages a second that a message would wait ${waitMs} ms: disconnected`);
      return answer(m, lwError('LW_ERR_LIMIT_EXCEEDED', `more than ${rate} publishes a second (limit publishesPerSecondPerClient)`));
    }
    logLimit(client, 'publishesPerSecondPerClient', `publishes more than ${rate} messages a second: its messages are held back to that rate`);
    setTimeout(ingest, waitMs, m);
  }

  /** A refused filter gets return code 0x80 in SUBACK (MQTT 3.1.1 §3.9.3); the connection stays. */
  const authorizeSubscribe: AuthorizeSubscribeHandler = (client, sub, callback) => {
    const principal = sessions.get(client)?.principal;
    const refused = principal ? maySubscribe(principal, sub.topic) : 'not authenticated';
    if (refused) {
      metrics.subscriptionRefused();
      log(`broker: refused subscription of client ${client.id}: ${refused} (LW_ERR_TOPIC_FORBIDDEN)`);
      return callback(null, null);
    }
    callback(null, sub);
  };

  return { authenticate, authorizePublish, authorizeSubscribe };
}
