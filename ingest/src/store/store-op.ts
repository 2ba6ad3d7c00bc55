import type { RecordStream } from '@liftwatch/contract';

/** One write of the ingest, applied inside a group-commit transaction (batch-writer.ts). */
export type StoreOp =
  | RecordOp
  | DeadLetterOp
  | PresenceOp
  /** Write the lift summaries now (a checkpoint in a quiet period or at close). */
  | { kind: 'checkpoint' }
  /** Delete the dead letters received before `before` (retention). */
  | { kind: 'retainDeadLetters'; before: number };

export interface RecordOp {
  kind: 'record'; liftId: string;
  /** The lift's number in this process (lift-table.ts). */
  lift: number;
  stream: RecordStream; seq: number; ts: number; rx: number; record: Record<string, unknown>; body?: string | undefined }
export interface DeadLetterOp { kind: 'deadLetter'; rx: number; topic: string; clientId: string | null; code: string; reason: string; raw: Uint8Array; size: number }
export interface PresenceOp { kind: 'presence'; liftId: string; state: 'online' | 'offline'; rx: number }
