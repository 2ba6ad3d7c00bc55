// Entry of the feature-state writer thread: registers tsx (the TypeScript loader the process itself
// runs with) on this thread, then loads the writer (feature-state-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./feature-state-thread.ts');
