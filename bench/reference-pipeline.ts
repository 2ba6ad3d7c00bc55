// The reference for bench/city-ingest.ts: the same parts without liftwatch's logic. An aedes broker
// with no hooks, a bare mqtt.js subscriber on lift/# in the same process, and batched SQLite
// inserts (WAL, synchronous=FULL, up to 2000 rows per transaction). GET /count gives rows stored.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const db = new Database(join(values['data-dir']!, 'reference.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS records (topic TEXT NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO records (topic, body) VALUES (?, ?)');
const insertMany = db.transaction((rows: Array<[string, string]>) => { for (const r of rows) insert.run(r[0], r[1]); });

const aedes = new Aedes();
await aedes.listen();
const broker = createServer((s) => aedes.handle(s));
await new Promise<void>((r) => broker.listen(0, '127.0.0.1', () => r()));
const port = (broker.address() as AddressInfo).port;

let stored = 0;
const pending: Array<[string, string]> = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  while (pending.length) {
    const batch = pending.splice(0, 2000);
    insertMany(batch);
    stored += batch.length;
  }
};
const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'reference-subscriber', protocolVersion: 4 });
await sub.subscribeAsync('lift/#', { qos: 0 });
sub.on('message', (topic, payload) => {
  pending.push([topic, payload.toString()]);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});

const http = createHttpServer((_req, res) => res.end(JSON.stringify({ stored })));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
process.stdout.write(`READY mqtt://127.0.0.1:${port} http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => { flush(); db.close(); process.exit(0); });
