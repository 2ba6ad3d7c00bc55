import type { DeadLetterTerminalView, DeadLetterView } from '@liftwatch/contract';
import type { DeadLetterStore } from '@liftwatch/state-store';
import type { Awaitable } from './config.js';
import type { DeadLetterLimits } from './store/dead-letter-quota.js';
import type { WriteBatch } from './store/sqlite-writer.js';
import type { DeadLetterOp } from './store/store-op.js';

/**
 * How the dashboards read dead letters, whichever store keeps them: ingest's own SQLite (the
 * all-in-one: store/sqlite-dead-letters.ts) or the shared state store (several nodes:
 * shared-dead-letters.ts, read by any node).
 */
export interface DeadLetterReader {
  /** Dead letters, the newest first. */
  list(opts: { limit: number; offset: number }): Awaitable<DeadLetterView[]>;
  count(): Awaitable<number>;
  /** Terminals whose messages became dead letters, the most recent first (see store/dead-letter-quota.ts). */
  terminals(limit?: number): Awaitable<DeadLetterTerminalView[]>;
}

/** Where several ingest nodes keep their dead letters: the state store's (`openStateStore(…).deadLetters`). */
export type SharedDeadLetterStore = Pick<DeadLetterStore, 'add' | 'deleteBefore' | 'list' | 'count' | 'tallies'>;

/**
 * The dead letters as the batch writer (batch-writer.ts) keeps them: each one admitted within its
 * terminal's quota or counted, written with the batch of the message it came from, so that the
 * message is acknowledged only once its dead letters are stored.
 */
export interface DeadLetters {
  /** A dead letter of the batch being built: kept if its terminal is within its quota, else counted. */
  admit(op: DeadLetterOp, batch: WriteBatch): void;
  /** The batch being built deletes the dead letters received before `before` (retention). */
  retain(before: number, batch: WriteBatch): void;
  /** Writes what the batch admitted to a store of its own, before the batch (undefined: nothing to write, or they go with the batch). */
  writeAside(): Promise<void> | undefined;
  /** The batch committed. */
  committed(): void;
  /** The batch failed: what it admitted is forgotten. */
  rolledBack(): void;
  readonly reader: DeadLetterReader;
  /** Dead letters not kept because their terminal was past its quota, since start. */
  dropped(): { dropped: number; droppedBytes: number };
  readonly limits: DeadLetterLimits;
}
