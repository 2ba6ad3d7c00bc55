import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tempDir, waitFor } from '@liftwatch/test-kit';

/** A free loopback TCP port (the OS picks it; STYLE.md 9: never fixed ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  const { Socket } = await import('node:net');
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
  });
}

/**
 * Debian's redis-server on a random loopback port, with its own data directory and the
 * append-only file fsynced on every write, so that `restart()` (a kill -9 and a new start on the
 * same port and directory) keeps every job; `down()` and `up()` make an outage of any length.
 */
export async function startRedis(): Promise<{ port: number; restart(): Promise<void>; down(): Promise<void>; up(): Promise<void>; stop(): Promise<void> }> {
  const dir = tempDir('liftwatch-redis-');
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'], { stdio: 'ignore' });
    await waitFor(`redis-server on port ${port}`, () => ping(port), 10_000);
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGKILL'); });
  };
  await launch();
  return {
    port,
    async restart() { await kill(); await launch(); },
    /** An outage: kill -9, the port refuses connections until `up()` starts it again on the same data. */
    down: kill,
    up: launch,
    async stop() { await kill(); dir.remove(); },
  };
}
