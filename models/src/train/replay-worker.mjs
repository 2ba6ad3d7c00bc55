// Entry of a replay worker thread (parallel-replay.ts): the worker is TypeScript, so tsx is
// registered in the thread first, whatever the process was started with (tsx, vitest).
import { register } from 'tsx/esm/api';

register();
await import('./replay-worker.ts');
