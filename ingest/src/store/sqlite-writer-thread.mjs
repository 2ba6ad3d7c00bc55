// Entry of the SQLite writer thread when its plain JavaScript could not be built (ingest's threadScript: a
// read-only install without the cache): registers tsx on this thread, then loads sqlite-writer-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer-thread.ts');
