import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tempDir, waitFor } from './index.js';
import { freePort } from './ports.js';

export interface RedisOptions {
  /** Clients must AUTH with it (requirepass). */
  readonly password?: string;
  /**
   * Keep the data in a directory of its own, in the append-only file, so that `restart()`, or `down()`
   * and `up()`, keep every key (BullMQ's jobs). @defaultValue false: memory only
   */
  readonly persist?: boolean;
  /** With `persist`: fsync the append-only file on every write (`always`: a kill -9 loses nothing) or once a second. @defaultValue 'always' */
  readonly fsync?: 'always' | 'everysec';
}

export interface RunningRedis {
  /** redis://[:password@]127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** A crash and a start: kill -9, then a new server on the same port (and data, with `persist`). */
  restart(): Promise<void>;
  /** An outage of any length: kill -9 (or `signal`); the port refuses connections until `up()`. */
  down(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port (and data); resolves with performance.now() of its first answer. */
  up(): Promise<number>;
  /** Stops it (SIGTERM: it closes its clients' connections) and deletes its data. */
  stop(): Promise<void>;
  /** The server's process while it runs (a script kills it on its way out when it fails). */
  child(): ChildProcess | undefined;
}

/** Whether a Redis answers PING on the loopback `port` (with PONG, or asking for the password). */
const answersPing = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  s.setTimeout(500, () => { s.destroy(); resolve(false); });
  s.once('error', () => resolve(false));
  s.once('data', (d) => { s.destroy(); resolve(/^(\+PONG|-NOAUTH)/.test(d.toString())); });
});

/** Debian's redis-server on a random loopback port, in memory unless `persist`. */
export async function startRedis(opts: RedisOptions = {}): Promise<RunningRedis> {
  const port = await freePort();
  const dir = opts.persist ? tempDir('liftwatch-redis-') : undefined;
  const storage = dir
    ? ['--dir', dir.path, '--appendonly', 'yes', '--appendfsync', opts.fsync ?? 'always']
    : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'yes', ...storage, ...(opts.password ? ['--requirepass', opts.password] : [])];
  let proc: ChildProcess | undefined;
  const up = async (): Promise<number> => {
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    // Polled often: a benchmark times what happens from this moment.
    await waitFor(`redis-server on port ${port}`, () => answersPing(port), 10_000, 2);
    return performance.now();
  };
  const down = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill(signal); });
  };
  await up();
  return {
    url: `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}`,
    port,
    async restart() { await down(); await up(); },
    down,
    up,
    async stop() { await down('SIGTERM'); dir?.remove(); },
    child: () => proc,
  };
}
