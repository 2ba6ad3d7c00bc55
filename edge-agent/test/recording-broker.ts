import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';

/** What a bare aedes broker received, per lift and seq: every copy's JSON text. */
export type Received = Map<string, Map<number, string[]>>;

/**
 * A real MQTT broker (aedes) for the edge agent's tests, on a random loopback port, that records every
 * record it acknowledges (PUBACK is sent after recording, optionally after `ackDelayMs`), and that can
 * be stopped and started again on the same port while the record log lives on.
 */
export async function startRecordingBroker(opts: { ackDelayMs?: number; onMessage?: () => void } = {}) {
  const received: Received = new Map();
  /** Seqs per lift in the order they first arrived. */
  const arrivals = new Map<string, number[]>();
  const downlinks: Array<{ topic: string; payload: string }> = [];
  let aedes: Aedes | undefined;
  let copies = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  const messageSizes: number[] = [];

  function record(topic: string, payload: Buffer): void {
    const liftId = topic.split('/')[2] ?? '';
    if (topic.endsWith('/presence')) return;
    const value = JSON.parse(payload.toString('utf8')) as unknown;
    for (const r of Array.isArray(value) ? value : [value]) {
      const seq = (r as { seq: number }).seq;
      let bySeq = received.get(liftId);
      if (!bySeq) received.set(liftId, (bySeq = new Map()));
      const list = bySeq.get(seq) ?? [];
      if (list.length === 0) {
        const order = arrivals.get(liftId) ?? [];
        order.push(seq);
        arrivals.set(liftId, order);
      }
      list.push(JSON.stringify(r));
      bySeq.set(seq, list);
      copies++;
    }
  }

  /**
   * The port stays held while the broker is down (a connection is reset at once), so that no other
   * test or program on this machine can take it and receive this broker's terminals.
   */
  const server: Server = createServer((socket) => {
    if (aedes) aedes.handle(socket);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  async function start(): Promise<void> {
    const a = new Aedes();
    a.authorizePublish = (client, packet, callback) => {
      if (client) {
        record(packet.topic, packet.payload as Buffer);
        opts.onMessage?.();
      }
      else downlinks.push({ topic: packet.topic, payload: (packet.payload as Buffer).toString('utf8') });
      const counted = client !== null && !packet.topic.endsWith('/presence') && packet.qos === 1;
      if (counted) {
        outstanding++;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        const text = (packet.payload as Buffer).toString('utf8');
        messageSizes.push(text.startsWith('[') ? (JSON.parse(text) as unknown[]).length : 1);
      }
      const ack = () => {
        if (counted) outstanding--;
        callback(null);
      };
      if (opts.ackDelayMs) setTimeout(ack, opts.ackDelayMs);
      else ack();
    };
    await a.listen();
    aedes = a;
  }

  /** The broker goes down: every connection is closed, new ones are reset; what it received is kept. */
  async function stop(): Promise<void> {
    const a = aedes;
    aedes = undefined;
    if (a) await new Promise<void>((resolve) => a.close(() => resolve()));
  }

  /** Stops the broker and frees the port (test clean-up). */
  async function close(): Promise<void> {
    await stop();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  await start();
  return {
    get port() { return port; },
    get url() { return `mqtt://127.0.0.1:${port}`; },
    received,
    arrivals: (liftId: string) => arrivals.get(liftId) ?? [],
    /** Records of a lift received so far, copies counted. */
    copies: () => copies,
    /** The most QoS 1 record messages that waited for their PUBACK at once, and the records in each message. */
    flow: () => ({ maxOutstanding, messageSizes: [...messageSizes] }),
    count: (liftId: string) => received.get(liftId)?.size ?? 0,
    /** Publishes as the platform (e.g. a retained config). */
    publish: (topic: string, payload: string, retain = false) => new Promise<void>((resolve, reject) =>
      aedes!.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, (err) => (err ? reject(err) : resolve()))),
    stop,
    start,
    close,
  };
}

/**
 * The two promises of store-and-forward: every seq the spool numbered arrived, and a seq that
 * arrived twice carried the same record both times. Returns the number of seqs that arrived twice.
 */
export function checkDelivery(received: Received, liftId: string, firstSeq: number, nextSeq: number): { missing: number[]; duplicated: number; conflicting: number[] } {
  const bySeq = received.get(liftId) ?? new Map<number, string[]>();
  const missing: number[] = [];
  const conflicting: number[] = [];
  let duplicated = 0;
  for (let seq = firstSeq; seq < nextSeq; seq++) {
    const copies = bySeq.get(seq);
    if (!copies) { missing.push(seq); continue; }
    if (copies.length > 1) duplicated++;
    if (copies.some((c) => c !== copies[0])) conflicting.push(seq);
  }
  for (const seq of bySeq.keys()) if (seq < firstSeq || seq >= nextSeq) conflicting.push(seq);
  return { missing, duplicated, conflicting };
}
