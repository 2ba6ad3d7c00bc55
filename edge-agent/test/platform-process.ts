// The all-in-one platform as its own process (npm start), for tests of the agent against the real platform.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@liftwatch/test-kit';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export const ADMIN_PASSWORD = 'platform-test-password';

/** GET a JSON document of the platform's API as its admin. */
export async function api<T>(httpUrl: string | undefined, path: string): Promise<T> {
  const login = await fetch(`${httpUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The all-in-one platform as its own process (npm start), on a fixed data dir and a port chosen by the test. */
export async function startPlatform(
  cleanups: Array<() => Promise<void> | void>, dataDir: string, mqttPort: number, extra: string[] = [],
): Promise<ChildProcess & { httpUrl?: string | undefined }> {
  const child: ChildProcess & { httpUrl?: string | undefined } = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--host', '127.0.0.1', '--mqtt-port', String(mqttPort), '--http-port', '0', '--data-dir', dataDir, '--mqtt-allow-anonymous', 'true', '--admin-password', ADMIN_PASSWORD, ...extra],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor('the platform to start', () => out.includes('liftwatch is running'), 30_000);
  child.httpUrl = /web (http:\S+)/.exec(out)?.[1];
  return child;
}
export const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

