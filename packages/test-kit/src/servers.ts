import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
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
export async function startVictoriaMetrics(port?: number, dataDir?: string, extraArgs: readonly string[] = []): Promise<RunningServer> {
  const dir = dataDir ? { path: dataDir, remove: () => {} } : tempDir('liftwatch-vm-');
  const p = port ?? (await freePort());
  return startProcess('victoria-metrics', [`-httpListenAddr=127.0.0.1:${p}`, `-storageDataPath=${dir.path}`, '-retentionPeriod=100y', '-search.latencyOffset=0s', '-loggerLevel=ERROR', ...extraArgs], p, '/health', dir);
}

export interface RunningHaproxy {
  /** mqtt://127.0.0.1:<port> of the frontend. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Debian's HAProxy as a TCP load balancer on a random loopback port in front of `backends`
 * (loopback ports), as deploy/haproxy/haproxy.cfg does in docker-compose: leastconn, a health check
 * every `checkMs`, and a connection to a dead backend dispatched to another one. With `sendProxy`, each
 * connection to a backend (health checks too) starts with a PROXY protocol header of that version.
 */
export async function startHaproxy(backends: readonly number[], opts: { checkMs?: number; sendProxy?: 'v1' | 'v2' } = {}): Promise<RunningHaproxy> {
  const port = await freePort();
  const dir = tempDir('liftwatch-haproxy-');
  const conf = join(dir.path, 'haproxy.cfg');
  const inter = opts.checkMs ?? 250;
  writeFileSync(conf, [
    'global', '  maxconn 8000',
    'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 30m', '  timeout server 30m', '  retries 3', '  option redispatch',
    'frontend mqtt', `  bind 127.0.0.1:${port}`, '  default_backend brokers',
    'backend brokers', '  balance leastconn', `  default-server inter ${inter}ms fall 2 rise 2`,
    ...backends.map((b, i) => `  server node-${i + 1} 127.0.0.1:${b} check${opts.sendProxy === 'v1' ? ' send-proxy' : opts.sendProxy === 'v2' ? ' send-proxy-v2' : ''}`),
    '',
  ].join('\n'));
  const proc = spawn('haproxy', ['-f', conf, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  await waitFor(`haproxy on port ${port}`, () => {
    if (proc.exitCode !== null) throw new Error(`haproxy exited with ${proc.exitCode}: ${stderr}`);
    return listening(port);
  }, 15_000);
  return { url: `mqtt://127.0.0.1:${port}`, port, stop: stopper(proc, () => dir.remove()) };
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
export async function startRedis(opts: { password?: string } = {}): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(opts.password ? ['--requirepass', opts.password] : [])], { stdio: 'ignore' });
  await waitFor('redis-server to listen', () => listening(port));
  return { url: `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}`, port, stop: stopper(proc) };
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

/** The newest Debian PostgreSQL server binaries (/usr/lib/postgresql/<major>/bin), or an error that says which package to install. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  return join(root, majors[0]!, 'bin');
}

export interface RunningPostgres {
  /** postgres://liftwatch@127.0.0.1:<port>/postgres (superuser "liftwatch", trust authentication on loopback). */
  readonly url: string;
  readonly port: number;
  /** Creates an empty database and returns its URL, so each test file gets its own. */
  newDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Debian's PostgreSQL on a random loopback port, in a temporary cluster made by initdb; fsync off (a test
 * server). PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBin();
  const dir = tempDir('liftwatch-pg-');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  if (asRoot) chownSync(dir.path, ids.uid!, ids.gid!);
  const data = join(dir.path, 'data');
  try {
    execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'liftwatch', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...ids, stdio: 'pipe' });
  } catch (err) {
    dir.remove();
    throw new Error(`initdb failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const port = await freePort();
  const proc = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir.path, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100', '-c', 'shared_buffers=32MB'], { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const psql = (args: string[]) => execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'liftwatch', '-v', 'ON_ERROR_STOP=1', ...args], { stdio: 'pipe' });
  const stop = () => new Promise<void>((resolve) => {
    const done = () => {
      dir.remove();
      resolve();
    };
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once('exit', done);
    proc.kill('SIGINT'); // fast shutdown: open connections are closed, not waited for
  });
  try {
    await waitFor('PostgreSQL to accept connections', () => {
      if (proc.exitCode !== null) throw new Error(`postgres exited with ${proc.exitCode}: ${stderr}`);
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'liftwatch', '-d', 'postgres'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    }, 30_000, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgres://liftwatch@127.0.0.1:${port}/postgres`, port, stop,
    newDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) return Promise.reject(new Error(`database name ${JSON.stringify(name)}: use a-z, 0-9 and _`));
      psql(['-d', 'postgres', '-c', `CREATE DATABASE ${name}`]);
      return Promise.resolve(`postgres://liftwatch@127.0.0.1:${port}/${name}`);
    },
  };
}
