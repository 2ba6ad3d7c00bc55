import type { CmdMessage, ConfigMessage } from '@liftwatch/contract';
import type { DoorRaw, TripRaw } from '../edge/raw.js';
import type { RecordDraft } from '../spool/spool.js';

/** Where a source delivers what it read or computed. The agent validates, spools and sends. */
export interface SourceSink {
  /** Records the source made itself (status, fault, alarm, env, …). */
  emit(drafts: readonly RecordDraft[]): void;
  /** A trip's raw signals: the agent computes the `trip` record, and sends raw windows on anomaly. */
  trip(raw: TripRaw): void;
  /** A door cycle's raw signals: the agent computes the `door` record. */
  door(raw: DoorRaw): void;
  log(line: string): void;
}

/**
 * A sensor source: one interface for every way a terminal reads a lift. The simulator, CSV replay
 * and the Modbus poller implement it: each emits contract records without seq (the spool assigns
 * it) and may follow the platform's remote config and commands.
 */
export interface SensorSource {
  readonly kind: string;
  /** Begins reading; records go to `sink` as they happen. */
  start(sink: SourceSink): void;
  /** Stops reading; resolves when nothing more will be emitted. */
  stop(): Promise<void>;
  /**
   * Why this source cannot follow a config that the contract allows (a period shorter than it reads
   * the lift, say), naming the value; undefined when it can. The terminal then refuses the config.
   */
  checkConfig?(config: ConfigMessage): string | undefined;
  /** Applies remote settings (periods, thresholds) without a restart. */
  applyConfig?(config: ConfigMessage): void;
  /** A request from the platform (send a raw window, send status now, self-test). */
  command?(cmd: CmdMessage): void;
  /**
   * Checks the lift's alarm device (the remote check EN 81-28 asks for, docs/terminals.md#remote-configuration-and-commands):
   * whether it answered, and what it reported. Absent: this source reads no alarm device.
   */
  selfTest?(): Promise<{ ok: boolean; detail: string }>;
  /** True once a finite source (a CSV file) has emitted everything. */
  done?(): boolean;
}
