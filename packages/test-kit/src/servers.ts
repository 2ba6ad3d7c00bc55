import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir, waitFor } from './index.js';

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL) and, unless `keepData`, deletes its data. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

async function startProcess(cmd: string, args: string[], port: number, ready: string, dir: ReturnType<typeof tempDir>): Promise<RunningServer> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${cmd} on port ${port}`, async () => {
      if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}: ${stderr}`);
      const res = await fetch(`${url}${ready}`).catch(() => undefined);
      return res !== undefined && res.status < 500;
    }, 30_000, 100);
  } catch (err) {
    child.kill('SIGKILL');
    dir.remove();
    throw err;
  }
  return {
    url, port, process: child,
    async stop(opts = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!opts.keepData) dir.remove();
    },
  };
}

/** Debian's victoria-metrics on a random loopback port: accepts /api/v2/write (InfluxDB line protocol), reads back through /api/v1/export. */
export async function startVictoriaMetrics(port?: number, dataDir?: string): Promise<RunningServer> {
  const dir = dataDir ? { path: dataDir, remove: () => {} } : tempDir('liftwatch-vm-');
  const p = port ?? (await freePort());
  return startProcess('victoria-metrics', [`-httpListenAddr=127.0.0.1:${p}`, `-storageDataPath=${dir.path}`, '-retentionPeriod=100y', '-search.latencyOffset=0s', '-loggerLevel=ERROR'], p, '/health', dir);
}

/** Debian's influxdb 1.6 on random loopback ports, with a database created: InfluxQL over /query, line protocol over /write. */
export async function startInfluxDb(database: string): Promise<RunningServer> {
  const dir = tempDir('liftwatch-influx-');
  const [http, rpc] = [await freePort(), await freePort()];
  const config = join(dir.path, 'influxdb.conf');
  writeFileSync(config, [
    'reporting-disabled = true', `bind-address = "127.0.0.1:${rpc}"`,
    '[meta]', `  dir = "${dir.path}/meta"`,
    '[data]', `  dir = "${dir.path}/data"`, `  wal-dir = "${dir.path}/wal"`, '  query-log-enabled = false',
    '[http]', `  bind-address = "127.0.0.1:${http}"`, '  log-enabled = false',
    '[logging]', '  level = "error"',
  ].join('\n'));
  const server = await startProcess('influxd', ['run', '-config', config], http, '/ping', dir);
  const res = await fetch(`${server.url}/query?q=${encodeURIComponent(`CREATE DATABASE "${database}"`)}`, { method: 'POST' });
  if (!res.ok) throw new Error(`CREATE DATABASE failed: ${res.status} ${await res.text()}`);
  return server;
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1', () => {
    s.destroy();
    resolve(true);
  });
  s.on('error', () => resolve(false));
});

function stopper(proc: ChildProcess, after: () => void = () => {}) {
  return () => new Promise<void>((resolve) => {
    const done = () => {
      after();
      resolve();
    };
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once('exit', done);
    proc.kill('SIGTERM');
  });
}

/** Debian's redis-server on a random loopback port, in memory only (no RDB, no AOF). */
export async function startRedis(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('redis-server to listen', () => listening(port));
  return { url: `redis://127.0.0.1:${port}`, port, stop: stopper(proc) };
}

/** Debian's Mosquitto 2 on a random loopback port, anonymous, no persistence. */
export async function startMosquitto(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = tempDir('liftwatch-mosquitto-');
  const conf = join(dir.path, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await waitFor('mosquitto to listen', () => listening(port));
  return { url: `mqtt://127.0.0.1:${port}`, port, stop: stopper(proc, () => dir.remove()) };
}
