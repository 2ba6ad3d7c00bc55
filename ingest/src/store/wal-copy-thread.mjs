// Entry of the log-copy thread when its plain JavaScript could not be built (ingest's threadScript: a
// read-only install without the cache): registers tsx on this thread, then loads wal-copy-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./wal-copy-thread.ts');
