import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedScript } from './script-cache.mjs';

export { cachedScriptPath } from './script-cache.mjs';

/**
 * The script a worker thread runs: its TypeScript module bundled by esbuild into one plain JavaScript
 * file (script-cache.mjs), built again when one of its sources is newer. A thread that loaded its
 * TypeScript through tsx, as the process does, paid the loader's own thread and its transforms:
 * about 15 MiB of resident memory for each thread.
 *
 * When the script cannot be built (a read-only install without the cache), the thread's `.mjs`
 * entry beside its source, which registers tsx, is returned instead, and `log` says why.
 */
export function threadScript(source: URL, log?: (line: string) => void): URL {
  const built = cachedScript(source);
  if (built.url !== undefined) return built.url;
  log?.(`${relative(process.cwd(), fileURLToPath(source))}: its thread runs through tsx, ${built.error}`);
  return new URL(source.href.replace(/\.ts$/, '.mjs'));
}
