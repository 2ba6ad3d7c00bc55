import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir, waitFor } from './index.js';

/** A free TCP port on 127.0.0.1, for a server that cannot be told to pick one itself. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
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
