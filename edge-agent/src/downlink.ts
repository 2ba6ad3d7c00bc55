import { parseJson, validateMessage, type CmdMessage, type ConfigMessage } from '@liftwatch/contract';
import type { SensorSource } from './sources/source.js';

/** What the terminal does with a config message: apply it, refuse it with a reason (acknowledged as refused), or ignore it. */
export type ConfigDecision =
  | { kind: 'apply'; config: ConfigMessage }
  | { kind: 'reject'; configVersion: number; reason: string }
  | { kind: 'ignore'; reason: string };

/** A refusal the terminal keeps reporting in its device records until a newer config is applied. */
export interface ConfigRefusal { readonly configVersion: number; readonly reason: string }

/**
 * Decides on a config from the platform. A message that cannot be read, or has no version, is
 * ignored (there is nothing to answer); one whose version is not newer than the applied or refused
 * one is the retained copy seen again; a newer one that breaks the contract or asks what the source
 * cannot do is refused with the reason, naming the value.
 */
export function decideConfig(payload: Buffer, known: { applied: number | undefined; refused: number | undefined }, source: SensorSource): ConfigDecision {
  const json = parseJson(payload);
  if (!json.ok) return { kind: 'ignore', reason: json.reason };
  const version = (json.value as { configVersion?: unknown } | null)?.configVersion;
  if (!Number.isSafeInteger(version) || (version as number) < 0) return { kind: 'ignore', reason: `configVersion ${JSON.stringify(version)} is not a whole number` };
  const configVersion = version as number;
  if (configVersion <= Math.max(known.applied ?? -1, known.refused ?? -1)) return { kind: 'ignore', reason: `version ${configVersion} was seen before` };
  const valid = validateMessage('config', json.value);
  if (!valid.ok) return { kind: 'reject', configVersion, reason: valid.reason };
  const config = json.value as ConfigMessage;
  const cannot = source.checkConfig?.(config);
  return cannot === undefined ? { kind: 'apply', config } : { kind: 'reject', configVersion, reason: cannot };
}

/** A command from the platform, or why it was ignored (it cannot be answered without a valid cmdId). */
export function readCommand(payload: Buffer): { ok: true; cmd: CmdMessage } | { ok: false; reason: string } {
  const json = parseJson(payload);
  if (!json.ok) return json;
  const valid = validateMessage('cmd', json.value);
  return valid.ok ? { ok: true, cmd: json.value as CmdMessage } : { ok: false, reason: valid.reason };
}

/** The result of a command, reported in the device record sent after it. */
export interface CommandResult { readonly cmdId: string; readonly ok: boolean; readonly detail: string }
