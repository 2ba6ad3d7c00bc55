// Entry of the model serving's thread when its plain JavaScript could not be built (ingest's threadScript: a
// read-only install without the cache): registers tsx on this thread, then loads serving-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./serving-thread.ts');
