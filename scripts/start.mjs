// `npm start`: installs the Node packages if needed, then runs the all-in-one process.
import { ensureNodeModules, run } from './setup.mjs';

ensureNodeModules();
process.exitCode = run(process.execPath, ['--import', 'tsx', 'all-in-one/src/main.ts', ...process.argv.slice(2)]);
