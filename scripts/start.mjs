// `npm start`: installs the Node packages if needed, then runs the all-in-one process.
import { join } from 'node:path';
import { ensureNodeModules, ROOT, run } from './setup.mjs';

ensureNodeModules();
// The console (Vite): built at every start so it matches the code.
if (run(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', join(ROOT, 'dashboards', 'vite.config.js')]) !== 0) process.exit(1);
// A young generation of 2 × 64 MiB: what a record holds until its group commit dies there instead of
// being promoted to the old generation (less CPU in collections, less memory). MALLOC_ARENA_MAX=2:
// the threads' native allocations (SQLite, V8's compiler) share two glibc arenas instead of one
// each; glibc reads it when the process starts. server/main.mjs: the server in plain JavaScript,
// bundled from its TypeScript, without a TypeScript loader (docs/operations.md, memory).
process.exitCode = run(process.execPath, ['--max-semi-space-size=64', 'server/main.mjs', ...process.argv.slice(2)], {
  env: { MALLOC_ARENA_MAX: '2', ...process.env },
});
