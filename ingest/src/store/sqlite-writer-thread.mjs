// Entry of the SQLite writer thread: registers tsx (the TypeScript loader the process itself runs
// with) on this thread, then loads the writer (sqlite-writer-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer-thread.ts');
