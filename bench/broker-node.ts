// One broker for bench/broker-throughput.ts, in its own process so that the load generator does not
// share its event loop: `liftwatch` (createBroker with the registry, ACLs, limits and a no-op ingest) or
// `aedes` (bare aedes 1.x on a plain net server: no hooks, default sockets).
//   node --import tsx bench/broker-node.ts <liftwatch|aedes> <terminals> <tokensFile>
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Aedes } from 'aedes';
import { openStateStore } from '@liftwatch/state-store';
import { createBroker, createTerminalRegistry } from '@liftwatch/broker';

const [kind = 'liftwatch', count = '1000', tokensFile = ''] = process.argv.slice(2);

if (kind === 'aedes') {
  const aedes = new Aedes();
  await aedes.listen();
  const server = createServer((s) => aedes.handle(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  console.log(`READY ${(server.address() as AddressInfo).port}`);
} else {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'liftwatch-bench-broker-')), 'registry.db'));
  db.pragma('journal_mode = WAL');
  const registry = createTerminalRegistry((await openStateStore({ url: `sqlite:${db.name}`, connection: db })).terminals);
  const issued = await registry.addMany(Array.from({ length: Number(count) }, (_, i) => ({ liftId: `B-${i}` })));
  writeFileSync(tokensFile, JSON.stringify(Object.fromEntries(issued.map((t) => [t.terminal.terminalId, t.token]))));
  const broker = createBroker({
    host: '127.0.0.1', port: 0,
    // The load generator is one address opening thousands of connections: the per-address limit is raised
    // for the benchmark only; every other limit keeps its default.
    limits: { connectionsPerSecondPerAddress: 1_000_000 },
  }, { registry, onPublish: async () => {} });
  const { port } = await broker.start();
  console.log(`READY ${port}`);
}
