// Runs the all-in-one process (src/main.ts) from plain JavaScript: it and the workspaces' modules it
// imports, bundled by esbuild into node_modules/.cache/liftwatch-bundles, built again when a source
// is newer (@liftwatch/ingest/script-cache). `node --import tsx server/src/main.ts` runs the same
// code through tsx, whose loader thread and transforms cost the process about 60 MiB of resident
// memory more in a city (docs/operations.md, memory). Where the bundle cannot be built, it runs
// through tsx and says why.
import { cachedScript } from '@liftwatch/ingest/script-cache';

const source = new URL('./src/main.ts', import.meta.url);
const built = cachedScript(source);
if (built.url !== undefined) {
  await import(built.url.href);
} else {
  console.error(`liftwatch: server/src/main.ts runs through tsx, ${built.error}`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
}
