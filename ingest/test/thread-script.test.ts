import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedScriptPath, threadScript } from '../src/threads/thread-script.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) {
    rmSync(d, { recursive: true, force: true });
    const out = cachedScriptPath(join(d, 'thread.ts'));
    rmSync(out, { force: true });
    rmSync(`${out}.inputs.json`, { force: true });
  }
});

/** A thread module in TypeScript that imports another and posts what it says. */
function threadSource(answer: string, answerModule = `export const answer: string = ${JSON.stringify(answer)};\n`): URL {
  const dir = mkdtempSync(join(tmpdir(), 'lw-thread-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'answer.ts'), answerModule);
  writeFileSync(join(dir, 'thread.ts'), `import { parentPort } from 'node:worker_threads';\nimport { answer } from './answer.js';\nparentPort!.postMessage(answer);\n`);
  writeFileSync(join(dir, 'thread.mjs'), `import { parentPort } from 'node:worker_threads';\nparentPort.postMessage('through tsx');\n`);
  return pathToFileURL(join(dir, 'thread.ts'));
}

const said = (script: URL): Promise<unknown> => new Promise((resolve, reject) => {
  const w = new Worker(script);
  w.once('message', (m) => { resolve(m); void w.terminate(); });
  w.once('error', reject);
});

describe('threadScript', () => {
  it('runs a thread from one plain JavaScript file, without a TypeScript loader', async () => {
    const script = threadScript(threadSource('built'));
    expect(script.pathname).toMatch(/node_modules\/\.cache\/liftwatch-bundles\/thread-[0-9a-f]{12}\.mjs$/);
    const text = readFileSync(script, 'utf8');
    expect(text).not.toMatch(/import .*answer|tsx/);
    expect(await said(script)).toBe('built');
  });

  it('leaves each module its own import.meta.url: what it finds beside itself stays there', async () => {
    const source = threadSource('', 'export const answer: string = import.meta.url;\n');
    expect(await said(threadScript(source))).toBe(new URL('./answer.ts', source).href);
  });

  it('builds the script again when one of its sources is newer', async () => {
    const source = threadSource('first');
    const script = threadScript(source);
    const answer = new URL('./answer.ts', source);
    writeFileSync(answer, `export const answer: string = 'second';\n`);
    const later = new Date(Date.now() + 5_000);
    utimesSync(answer, later, later);
    expect(threadScript(source).href).toBe(script.href);
    expect(await said(script)).toBe('second');
  });

  it('keeps the script while its sources are as they were', () => {
    const source = threadSource('kept');
    const script = threadScript(source);
    writeFileSync(script, '// the cached script\n');
    threadScript(source);
    expect(readFileSync(script, 'utf8')).toBe('// the cached script\n');
  });

  it('falls back to the thread\'s tsx entry, and says why, when the script cannot be built', async () => {
    const source = threadSource('never');
    writeFileSync(new URL('./answer.ts', source), 'export const answer = ;\n');
    const lines: string[] = [];
    const script = threadScript(source, (l) => lines.push(l));
    expect(script.href).toBe(source.href.replace(/\.ts$/, '.mjs'));
    expect(lines.join('\n')).toMatch(/thread\.ts: its thread runs through tsx, it could not be built into .*thread-[0-9a-f]{12}\.mjs: .*Unexpected/);
    expect(await said(script)).toBe('through tsx');
  });
});
