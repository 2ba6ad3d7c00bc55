import type { Role } from '../config.js';
import type { Metrics } from '../metrics.js';

/** One part of a node: what it offers the parts started after it, and how it stops. */
export interface Part<Api> {
  readonly api: Api;
  close(): Promise<void>;
}

/** What tests and the command line may put in place of the defaults. */
export interface StartHooks {
  /** The wall clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** The monotonic clock the safety rules measure durations on, ms. @defaultValue performance.now */
  readonly monotonic?: () => number;
  /** Where what only the operator at the terminal may read goes (the first admin's one-time password). @defaultValue stderr */
  readonly tell?: (text: string) => void;
}

/** What every part is given: the node's roles, its log, the start hooks and the metrics it adds to. */
export interface Shared {
  readonly roles: ReadonlySet<Role>;
  readonly log: (line: string) => void;
  readonly hooks: StartHooks;
  readonly metrics: Metrics;
}

/**
 * Builds a part: `build` names what to close with `defer`, in the order it starts things. On close
 * they are closed in the reverse order; when `build` fails, what it had started is closed again
 * before the error is thrown.
 */
export async function part<Api>(log: (line: string) => void, build: (defer: (close: () => unknown) => void) => Promise<Api> | Api): Promise<Part<Api>> {
  const closers: Array<() => unknown> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log(`liftwatch: while closing: ${String(err)}`);
      }
    }
  };
  try {
    return { api: await build((c) => closers.push(c)), close };
  } catch (err) {
    await close();
    throw err;
  }
}
