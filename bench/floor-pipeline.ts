// The floor reference of bench/city-ingest.ts: the least the same parts can do with the same load.
// An aedes broker whose authorizePublish hook only parses each message's JSON and hands it to a
// SQLite writer thread (floor-writer.mjs) that appends it, batched while the previous batch is
// written (up to 2,000 messages per transaction, as liftwatch's group commit); a QoS 1 message is
// acknowledged (PUBACK) only after its batch committed. No ACL, no rules, no index, no summaries.
// GET /count gives the messages stored.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Aedes } from 'aedes';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const writer = new Worker(new URL('./floor-writer.mjs', import.meta.url), { workerData: { path: join(values['data-dir']!, 'floor.db') } });
const MAX_BATCH = 2000;

let stored = 0;
let topics: string[] = [];
let bodies: string[] = [];
/** Each gathered message's acknowledgement, null for QoS 0 (nothing to hold back). */
let acks: Array<((err: Error | null) => void) | null> = [];
let writing: Array<((err: Error | null) => void) | null> | undefined;
let scheduled = false;

/** Hands what gathered to the writer when it is free; the acknowledgements wait for its answer. */
function flush(): void {
  scheduled = false;
  if (writing || topics.length === 0) return;
  const n = Math.min(MAX_BATCH, topics.length);
  writing = acks.splice(0, n);
  writer.postMessage({ topics: topics.splice(0, n), bodies: bodies.splice(0, n) });
}
writer.on('message', (n: number) => {
  stored += n;
  const done = writing!;
  writing = undefined;
  for (const ack of done) ack?.(null);
  if (topics.length > 0) flush();
});

const aedes = new Aedes();
aedes.authorizePublish = (_client, packet, callback) => {
  const text = (packet.payload as Buffer).toString('utf8');
  JSON.parse(text);
  topics.push(packet.topic);
  bodies.push(text);
  acks.push(packet.qos > 0 ? callback : null);
  if (packet.qos === 0) callback(null);
  if (!scheduled && !writing) {
    scheduled = true;
    setImmediate(flush);
  }
};
await aedes.listen();
const broker = createServer((s) => aedes.handle(s));
await new Promise<void>((r) => broker.listen(0, '127.0.0.1', () => r()));
const http = createHttpServer((_req, res) => res.end(JSON.stringify({ stored })));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
process.stdout.write(`READY mqtt://127.0.0.1:${(broker.address() as AddressInfo).port} http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => {
  writer.postMessage('close');
  writer.once('exit', () => process.exit(0));
  topics = []; bodies = []; acks = [];
});
