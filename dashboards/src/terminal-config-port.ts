import type { Awaitable, FleetHealthLimits, TerminalCommand, TerminalCommandView, TerminalConfigView, TerminalSettings, TerminalTarget } from '@liftwatch/contract';

/**
 * Remote configuration and commands for terminals (docs/terminals.md#remote-configuration-and-commands):
 * desired configs with what each terminal acknowledged or refused, commands with their results, and
 * the limits of the fleet health view. Wired where the broker runs (it sends the retained config).
 */
export interface TerminalConfigPort {
  /** The lifts a target names: its list, the registry's lifts of an area, or a maintenance unit's lifts. */
  lifts(target: TerminalTarget): Promise<string[]>;
  /** Sets and sends (retained) the desired config of these lifts; the version each got. */
  push(liftIds: readonly string[], settings: TerminalSettings, actor: string): Promise<Array<{ liftId: string; configVersion: number }>>;
  /** Sends a command to each lift's terminal; the command id each got. */
  command(liftIds: readonly string[], cmd: TerminalCommand, actor: string): Promise<Array<{ liftId: string; cmdId: string }>>;
  /** Desired configs of these lifts (every lift's when absent). */
  list(liftIds?: readonly string[]): Awaitable<TerminalConfigView[]>;
  /** Terminals that have not acknowledged their desired version, the longest waiting first. */
  unacknowledged(): Awaitable<TerminalConfigView[]>;
  commands(opts: { liftId?: string; limit: number }): Awaitable<TerminalCommandView[]>;
  /** When a terminal counts as silent or behind in the fleet health view. */
  readonly limits: FleetHealthLimits;
}
