import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedScriptPath } from '@liftwatch/ingest/script-cache';
import { tempDir } from '@liftwatch/test-kit';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) d.remove();
});

/** `node server/main.mjs …` as npm start and the image run it; resolves with what it wrote once `until` matched or it exited. */
function runMain(args: string[], until: RegExp): Promise<{ child: ChildProcess; out: string; code: number | null }> {
  const dir = tempDir();
  dirs.push(dir);
  const child = spawn(process.execPath, ['server/main.mjs', '--host', '127.0.0.1', '--http-port', '0', '--data-dir', dir.path, ...args], { cwd: ROOT });
  children.push(child);
  let out = '';
  return new Promise((resolve) => {
    const seen = (chunk: Buffer) => { out += chunk.toString(); if (until.test(out)) resolve({ child, out, code: null }); };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => resolve({ child, out, code }));
  });
}

describe('server/main.mjs', () => {
  it('runs the server from its plain JavaScript bundle, without a TypeScript loader', async () => {
    const { child, out } = await runMain(['--mqtt-port', '0'], /web (http:\S+)/);
    const web = /web (http:\S+)/.exec(out)![1]!;
    expect(await (await fetch(`${web}/healthz`)).json()).toMatchObject({ ok: true });
    expect(out).not.toMatch(/through tsx/);
    expect(existsSync(cachedScriptPath(fileURLToPath(new URL('../src/main.ts', import.meta.url))))).toBe(true);
    expect(child.spawnargs).not.toContain('tsx');
  });

  it('stops with the error catalog\'s one clear line, as through tsx', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const { out, code } = await runMain(['--mqtt-port', String((busy.address() as AddressInfo).port)], /LW_ERR_PORT_IN_USE[^\n]*\n/);
      expect(code ?? 1).not.toBe(0);
      expect(out).toMatch(/^liftwatch: MQTT port \d+ on 127.0.0.1 is already in use: .* --mqtt-port \(LW_ERR_PORT_IN_USE\)$/m);
    } finally {
      busy.close();
    }
  });
});
