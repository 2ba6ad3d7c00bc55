// The servers bench/city-ingest.ts offers the same load to, each in its own process: liftwatch (the
// all-in-one), the floor reference (floor-pipeline.ts), the old reference (reference-pipeline.ts)
// and Debian's Mosquitto 2 relaying to a subscriber (relay-subscriber.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startRedis } from '@liftwatch/test-kit';
import { waitLine } from './processes.js';

export const KINDS = ['liftwatch', 'floor', 'reference', 'mosquitto'] as const;
export type Kind = (typeof KINDS)[number];

export interface CityServer {
  /** The process whose CPU and memory are measured, with its child processes. */
  readonly pid: number;
  /** Other processes the server needs, measured with it (the Redis of liftwatch's MQTT workers). */
  readonly alsoPids?: () => number[];
  readonly mqttUrl: string;
  /** Records stored (relayed, for Mosquitto) so far. */
  stored(): Promise<number>;
  /** liftwatch only: its main thread's V8 heap (used, total) and memory outside it (array buffers, native), MiB. */
  memory?(): Promise<{ heapUsedMiB: number; heapTotalMiB: number; externalMiB: number }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly root: string;
  readonly dataDir: string;
  /** liftwatch only: write a CPU profile of each thread here. */
  readonly profileDir?: string | undefined;
  /** liftwatch only: run the models (--models). */
  readonly models: string;
  /** liftwatch only: the model serving on a thread of its own (--model-thread); @defaultValue 'false' */
  readonly modelThread?: string;
  /** liftwatch only: MQTT worker processes (--mqtt-workers; above 1 with a Redis of its own, measured with it). */
  readonly mqttWorkers: number;
  /** Every child started, so that the caller can kill them all on a deadline. */
  readonly children: Set<ChildProcess>;
}

const countOf = async (httpUrl: string): Promise<number> => ((await (await fetch(`${httpUrl}/count`)).json()) as { stored: number }).stored;

function started(o: StartOptions, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { cwd: o.root, stdio: ['ignore', 'pipe', 'inherit'], env });
  o.children.add(child);
  return child;
}

const stopped = (child: ChildProcess): Promise<void> => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGTERM');
});

/** As scripts/start.mjs and the Dockerfile start liftwatch (docs/operations.md, memory). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
const SERVER_ENV = { MALLOC_ARENA_MAX: '2', ...process.env };

export async function startServer(kind: Kind, o: StartOptions): Promise<CityServer> {
  switch (kind) {
    case 'liftwatch': {
      const prof = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [];
      const redis = o.mqttWorkers > 1 ? await startRedis() : undefined;
      const workers = redis ? ['--mqtt-workers', String(o.mqttWorkers), '--redis-url', redis.url] : [];
      const server = started(o, process.execPath, [...prof, ...SERVER_NODE_FLAGS, 'server/main.mjs', '--mqtt-port', '0', '--http-port', '0', '--data-dir', o.dataDir,
        '--mqtt-allow-anonymous', 'true', '--mqtt-publishes-per-second', '1000000', '--mqtt-max-inflight', '65535', '--mqtt-connections-per-second', '100000', '--models', o.models, '--model-thread', o.modelThread ?? 'false', ...workers], SERVER_ENV);
      const m = await waitLine(server, /web (http:\S+)\s+MQTT (mqtt:\S+)/);
      return {
        pid: server.pid!, mqttUrl: m[2]!, stop: async () => { await stopped(server); await redis?.stop(); },
        ...(redis ? { alsoPids: () => [redis.child()?.pid ?? 0].filter((p) => p > 0) } : {}),
        stored: async () => Number(/^liftwatch_ingest_records_stored_total (\d+)/m.exec(await (await fetch(`${m[1]!}/metrics`)).text())?.[1] ?? 0),
        memory: async () => {
          const text = await (await fetch(`${m[1]!}/metrics`)).text();
          const mib = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
          return { heapUsedMiB: mib('nodejs_heap_size_used_bytes'), heapTotalMiB: mib('nodejs_heap_size_total_bytes'), externalMiB: mib('nodejs_external_memory_bytes') };
        },
      };
    }
    case 'floor':
    case 'reference': {
      const server = started(o, process.execPath, ['--import', 'tsx', `bench/${kind}-pipeline.ts`, '--data-dir', o.dataDir]);
      const m = await waitLine(server, /READY (mqtt:\S+) (http:\S+)/);
      return { pid: server.pid!, mqttUrl: m[1]!, stored: () => countOf(m[2]!), stop: () => stopped(server) };
    }
    case 'mosquitto': {
      const port = await freePort();
      const conf = join(o.dataDir, 'mosquitto.conf');
      writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nmax_queued_messages 1000000\n`);
      const broker = started(o, 'mosquitto', ['-c', conf]);
      const url = `mqtt://127.0.0.1:${port}`;
      let sub: ChildProcess | undefined;
      for (let i = 0; i < 50 && !sub; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const s = started(o, process.execPath, ['--import', 'tsx', 'bench/relay-subscriber.ts', '--url', url]);
        const ok = await waitLine(s, /READY \S+ (http:\S+)/, 'relay subscriber').then((m) => m, () => undefined);
        if (ok) {
          sub = s;
          const httpUrl = ok[1]!;
          return { pid: broker.pid!, mqttUrl: url, stored: () => countOf(httpUrl), stop: async () => { await stopped(s); await stopped(broker); } };
        }
      }
      await stopped(broker);
      throw new Error(`mosquitto did not take a subscriber on ${url}`);
    }
  }
}
