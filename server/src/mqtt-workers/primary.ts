import cluster, { type Worker } from 'node:cluster';
import { createServer, type AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Alerting, RaiseRequest } from '@liftwatch/alerting';
import { errorText, lwError } from '@liftwatch/contract';
import { liftsInInspection, type StoreOp } from '@liftwatch/ingest';
import { cachedScript } from '@liftwatch/ingest/script-cache';
import type { AllInOneConfig } from '../config.js';
import type { BrokerPart } from '../roles/broker.js';
import type { IngestPart } from '../roles/ingest.js';
import { part, type Part, type Shared } from '../roles/part.js';
import type { NodeState } from '../roles/state.js';
import { createModeFilter, createPresenceOwners, createRuleStateHub } from './lift-handover.js';
import { createRpc, type Rpc } from './rpc.js';
import { WORKER_ENV, type WorkerListening, type WorkerStats } from './worker.js';

/** Longest wait for a worker to stop on its own at close (its messages under way committed) before it is killed, ms. */
const STOP_WAIT_MS = 15_000;
const HERE = fileURLToPath(import.meta.url);
/** The worker's entry, beside this file: bundled into plain JavaScript by workerProgram, or run through tsx. */
const ENTRY = fileURLToPath(new URL(`./worker-main${extname(HERE)}`, import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * What a worker process runs: the entry bundled into plain JavaScript, as server/main.mjs runs the node
 * (no TypeScript loader in each worker: tens of MiB each), or the entry through tsx where the bundle
 * cannot be built (then `log` says why).
 */
function workerProgram(log: (line: string) => void): { exec: string; execArgv: string[] } {
  if (extname(HERE) !== '.ts') return { exec: ENTRY, execArgv: [] };
  const built = cachedScript(pathToFileURL(ENTRY));
  if (built.url !== undefined) return { exec: fileURLToPath(built.url), execArgv: [] };
  log(`liftwatch: the MQTT workers run through tsx, ${built.error}`);
  return { exec: ENTRY, execArgv: ['--import', 'tsx'] };
}

interface Running { readonly worker: Worker; readonly rpc: Rpc; stats: WorkerStats | undefined; listening: boolean }
/** Wait before a worker that died before it listened is started again, ms: no loop of failing starts. */
const RESTART_WAIT_MS = 1000;

/**
 * The broker role spread over `mqttWorkers` processes (node:cluster: they share the listening
 * sockets, and the kernel's connections are handed to them in turn). Each worker runs the broker,
 * decoding and the safety rules of its connections (worker.ts); this process keeps the one writer
 * and answers each worker's calls: its messages' operations into the batch writer (the worker
 * acknowledges after the answer), alerts, service modes, the terminal registry, the rules' memory of
 * each lift and which worker holds a lift's terminal (lift-handover.ts). A worker that dies is
 * replaced; its clients reconnect to the others and send again what was not acknowledged.
 */
export function startMqttWorkers(config: Readonly<AllInOneConfig>, { log, metrics, node, ingest, alerting }: Shared & { node: NodeState; ingest: IngestPart; alerting: Alerting }): Promise<Part<BrokerPart>> {
  return part(log, async (defer) => {
    const hub = createRuleStateHub(node.db, log);
    defer(() => hub.close());
    const owners = createPresenceOwners();
    const modes = createModeFilter(liftsInInspection(node.db));
    const running = new Map<number, Running>();
    let closing = false;

    const handlers = (index: number) => ({
      store: (topic: string, ops: StoreOp[]) => ingest.ingest.store(topic, owners.filter(index, ops)),
      raise: (req: RaiseRequest) => alerting.raise(req),
      cleared: (liftId: string, code: string, note: string) => alerting.conditionCleared(liftId, code, note),
      mode: (liftId: string, mode: string) => (modes.tell(liftId, mode) ? alerting.terminalMode(liftId, mode) : undefined),
      verify: (id: string, token: string) => node.terminals.verify(id, token),
      principalOf: (id: string) => node.terminals.principalOf(id),
      ruleSave: (entries: Parameters<typeof hub.save>[0], at: number) => hub.save(entries, at),
      ruleFetch: (liftId: string) => hub.fetch(liftId),
      stats: (s: WorkerStats) => { const r = running.get(index); if (r) r.stats = s; },
      listening: (l: WorkerListening) => listened.get(index)?.(l),
    });
    const listened = new Map<number, (l: WorkerListening) => void>();

    // A CPU profile of the node (--cpu-prof, as bench/city-ingest.ts --profile asks) covers its workers too.
    const profile = process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'));
    const program = workerProgram(log);
    cluster.setupPrimary({ exec: program.exec, execArgv: [...profile, ...program.execArgv], cwd: ROOT, serialization: 'advanced', silent: false });
    /**
     * Forks worker `index`; resolves when it listens. At the node's start, a worker that exits before
     * it listens fails the start (a port in use); later, a dead worker is replaced.
     */
    function fork(index: number, atStart: boolean): Promise<WorkerListening> {
      const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify({ config: settings, index }) });
      const rpc = createRpc(worker, handlers(index));
      const r: Running = { worker, rpc, stats: undefined, listening: false };
      running.set(index, r);
      return new Promise<WorkerListening>((resolve, reject) => {
        listened.set(index, (l) => {
          r.listening = true;
          resolve(l);
        });
        worker.once('exit', (code, signal) => {
          listened.delete(index);
          rpc.close(lwError('LW_ERR_STORAGE', `MQTT worker ${index} exited`));
          if (running.get(index) === r) running.delete(index);
          const why = `MQTT worker ${index} exited (${signal ?? code})${r.listening ? '' : ' before it listened'}`;
          if (atStart && !r.listening) reject(lwError('LW_ERR_CONFIG_INVALID', `${why}: see its log above`));
          else replaceDead(index, why, r.listening ? 0 : RESTART_WAIT_MS);
        });
      });
    }
    /** A worker that died: its lifts are offline until their terminals speak through another; a new worker takes its place. */
    function replaceDead(index: number, why: string, waitMs: number): void {
      const offline = owners.gone(index, Date.now());
      if (offline.length > 0) ingest.ingest.store(`MQTT worker ${index} gone`, offline).catch((err: unknown) => log(`liftwatch: presence of the lifts of MQTT worker ${index}: ${errorText(err)}`));
      if (closing) return;
      log(`liftwatch: ${why}; its clients reconnect to the other workers; starting it again`);
      setTimeout(() => {
        if (!closing) fork(index, false).catch((err: unknown) => log(`liftwatch: ${errorText(err)}`));
      }, waitMs).unref();
    }

    const revoked = node.terminals.onRevoke((terminalId, why) => { for (const r of running.values()) r.rpc.tell('revoke', terminalId, why); });
    defer(revoked);
    defer(() => stopAll());
    const settings = await withPortsChosen(config);
    const first = await Promise.all(Array.from({ length: config.mqttWorkers }, (_, i) => fork(i + 1, true)));

    async function stopAll(): Promise<void> {
      closing = true;
      await Promise.all([...running.values()].map(({ worker, rpc, listening }) => new Promise<void>((resolve) => {
        if (worker.isDead()) return resolve();
        // One still starting has no connection to finish, and would not hear the request yet.
        const kill = setTimeout(() => worker.process.kill('SIGKILL'), listening ? STOP_WAIT_MS : 0);
        worker.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        if (listening) rpc.tell('stop');
      })));
    }

    const all = () => [...running.values()].flatMap((r) => (r.stats ? [r.stats] : []));
    const own = ingest.ingest.stats;
    metrics.from({
      ingest: () => sumInto(structuredClone(own()), all().map((s) => s.ingest)),
      mqttClients: () => all().reduce((n, s) => n + s.clients, 0),
      broker: () => sumInto({}, all().map((s) => s.broker)) as ReturnType<BrokerPart['broker']['metrics']>,
    });
    const broker: BrokerPart['broker'] = {
      clients: () => all().reduce((n, s) => n + s.clients, 0),
      metrics: () => sumInto({}, all().map((s) => s.broker)) as ReturnType<BrokerPart['broker']['metrics']>,
    };
    let turn = 0;
    /** The downlink (config and cmd to terminals) through a listening worker, in turn. */
    function publish(topic: string, payload: string, retain: boolean): Promise<void> {
      const live = [...running.values()].filter((r) => r.listening);
      const r = live[turn++ % Math.max(live.length, 1)];
      if (!r) return Promise.reject(lwError('LW_ERR_BROKER_UNAVAILABLE', `no MQTT worker is listening to publish ${topic}: one is starting in place of each that died; try again`));
      return r.rpc.call('publish', topic, payload, retain);
    }
    const l = first[0]!;
    const host = l.host.includes(':') ? `[${l.host}]` : l.host;
    return {
      broker, publish, mqttUrl: `mqtt://${host}:${l.port}`,
      mqttTlsUrl: l.tlsPort === undefined ? undefined : `mqtts://${host}:${l.tlsPort}`,
      mqttWsUrl: l.wsPort === undefined ? undefined : `ws://${host}:${l.wsPort}`,
      /** The workers running now, by index, with their process id (tests kill one) and whether they listen yet. */
      workers: () => [...running.entries()].map(([index, r]) => ({ index, pid: r.worker.process.pid ?? 0, listening: r.listening })),
    };
  });
}

/**
 * The settings with a free port chosen for each MQTT listener asked on port 0. Every worker, and
 * each one started in place of a dead one, listens on the same ports: when every worker died at
 * once, node:cluster has closed the listening socket, and the next worker opens it again on the
 * same port (terminals retry meanwhile) instead of on a new random one.
 */
async function withPortsChosen(config: Readonly<AllInOneConfig>): Promise<Readonly<AllInOneConfig>> {
  const free = async (port: number): Promise<number> => {
    if (port !== 0) return port;
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, config.host, resolve));
    const chosen = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return chosen;
  };
  return {
    ...config, mqttPort: await free(config.mqttPort),
    mqttTlsPort: config.mqttTlsPort < 0 ? config.mqttTlsPort : await free(config.mqttTlsPort),
    mqttWsPort: config.mqttWsPort < 0 ? config.mqttWsPort : await free(config.mqttWsPort),
  };
}

/** Adds the numbers of each of `parts` into `into`, key by key, nested objects too. */
function sumInto<T extends object>(into: T, parts: readonly object[]): T {
  const target = into as Record<string, unknown>;
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === 'number') target[k] = ((target[k] as number | undefined) ?? 0) + v;
      else if (v && typeof v === 'object' && !Array.isArray(v)) target[k] = sumInto((target[k] as object | undefined) ?? {}, [v as object]);
    }
  }
  return into;
}

