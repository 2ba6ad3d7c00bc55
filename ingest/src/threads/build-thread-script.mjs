// Bundles a worker thread's TypeScript module into one plain JavaScript file (thread-script.ts runs
// this in a process of its own, so that esbuild's service and its thread do not stay in the server):
//   node build-thread-script.mjs <source.ts> <out.mjs>
// Writes <out.mjs>.inputs.json (the sources it was built from, to tell when it is stale) and then the
// script, each through a temporary file renamed over it: two processes building at once are safe.
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error('usage: node build-thread-script.mjs <source.ts> <out.mjs>');
const r = buildSync({
  entryPoints: [source], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', target: 'node20',
  // Native addons load their binary next to their own files: imported from node_modules as they are.
  external: ['better-sqlite3'], outfile: out, logLevel: 'error',
});
const inputs = Object.keys(r.metafile.inputs).map((p) => resolve(p));
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(inputs));
renameSync(tmp, `${out}.inputs.json`);
writeFileSync(tmp, r.outputFiles[0].contents);
renameSync(tmp, out);
