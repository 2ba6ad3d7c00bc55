// Where the plain JavaScript bundles of TypeScript entries are kept, and whether one is fresh (plain
// JavaScript itself: server/main.mjs loads it before any TypeScript loader).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUNDLER = fileURLToPath(new URL('./bundle-script.mjs', import.meta.url));
/** In the node_modules that holds esbuild, beside the packages the bundles import. */
const CACHE = join(dirname(dirname(createRequire(import.meta.url).resolve('esbuild/package.json'))), '.cache', 'liftwatch-bundles');

/** Where the bundle of the source at `path` is kept: its name, and a hash of its path (two checkouts share no file). */
export function cachedScriptPath(path) {
  return join(CACHE, `${basename(path, '.ts')}-${createHash('sha256').update(path).digest('hex').slice(0, 12)}.mjs`);
}

/**
 * The bundle of the TypeScript module at `source` (a file URL), built by esbuild in a process of its
 * own (about a second) unless it exists and none of the sources it was built from is newer; or why it
 * could not be built (a read-only install without it, a syntax error).
 */
export function cachedScript(source) {
  const path = fileURLToPath(source);
  const out = cachedScriptPath(path);
  if (isFresh(out)) return { url: pathToFileURL(out) };
  try {
    mkdirSync(dirname(out), { recursive: true });
    const r = spawnSync(process.execPath, [BUNDLER, path, out], { encoding: 'utf8' });
    if (r.status !== 0) return { error: `it could not be built into ${out}: ${r.error?.message ?? r.stderr.trim()}` };
    return { url: pathToFileURL(out) };
  } catch (err) {
    return { error: `it could not be built into ${out}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** True when the bundle exists and none of the sources it was built from changed since. */
function isFresh(out) {
  try {
    const builtAt = statSync(out).mtimeMs;
    const inputs = JSON.parse(readFileSync(`${out}.inputs.json`, 'utf8'));
    return inputs.every((p) => statSync(p).mtimeMs <= builtAt);
  } catch {
    return false; // not built yet, or a source is gone
  }
}
