import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUILDER = fileURLToPath(new URL('./build-thread-script.mjs', import.meta.url));
/**
 * The cache, in the node_modules that holds esbuild: the scripts' imports of packages (better-sqlite3,
 * kept out of the bundle for its native binary) resolve from there as from the sources.
 */
const CACHE = join(dirname(dirname(createRequire(import.meta.url).resolve('esbuild/package.json'))), '.cache', 'liftwatch-threads');

/**
 * The script a worker thread runs: its TypeScript module bundled by esbuild into one plain JavaScript
 * file, cached in node_modules/.cache/liftwatch-threads and built again (in about a second, by a
 * process of its own) when one of the sources it was built from is newer. A thread that loaded its
 * TypeScript through tsx, as the process does, paid the loader's own thread and its transforms:
 * about 15 MiB of resident memory for each thread.
 *
 * When the script cannot be built (a read-only install without the cache), the thread's `.mjs`
 * entry beside its source, which registers tsx, is returned instead, and `log` says why.
 */
export function threadScript(source: URL, log?: (line: string) => void): URL {
  const path = fileURLToPath(source);
  const out = cachedScriptPath(path);
  if (isFresh(out)) return pathToFileURL(out);
  try {
    mkdirSync(dirname(out), { recursive: true });
    const r = spawnSync(process.execPath, [BUILDER, path, out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.error?.message ?? r.stderr.trim());
    return pathToFileURL(out);
  } catch (err) {
    log?.(`${relative(process.cwd(), path)}: its thread runs through tsx, it could not be built into ${out} (${err instanceof Error ? err.message : String(err)})`);
    return new URL(source.href.replace(/\.ts$/, '.mjs'));
  }
}

/** Where the built script of the source at `path` is kept: its name, and a hash of its path (two checkouts share no file). */
export function cachedScriptPath(path: string): string {
  return join(CACHE, `${basename(path, '.ts')}-${createHash('sha256').update(path).digest('hex').slice(0, 12)}.mjs`);
}

/** True when the script exists and none of the sources it was built from changed since. */
function isFresh(out: string): boolean {
  try {
    const builtAt = statSync(out).mtimeMs;
    const inputs = JSON.parse(readFileSync(`${out}.inputs.json`, 'utf8')) as string[];
    return inputs.every((p) => statSync(p).mtimeMs <= builtAt);
  } catch {
    return false; // not built yet, or a source is gone
  }
}
