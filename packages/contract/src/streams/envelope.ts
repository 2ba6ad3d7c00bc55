import { Type, type TProperties } from '@sinclair/typebox';
import { CONTRACT_VERSION } from '../version.js';

/**
 * A lift id is used inside MQTT topics, so it may not hold `/`, `+`, `#` or spaces.
 * Registration codes (注册代码, 20 characters) and internal ids both fit.
 */
export const LIFT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

export const LiftId = Type.String({ pattern: LIFT_ID_PATTERN, description: 'Lift id: 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit' });

/** Device time in ms since the epoch (UTC). Bounded to 2001–2100 so that seconds or µs sent by mistake are caught. */
export const EpochMs = Type.Integer({ minimum: 1_000_000_000_000, maximum: 4_102_444_800_000, description: 'ms since 1970-01-01 UTC' });

/** Fields every record from a terminal carries (docs/architecture.md#contract). */
export const envelopeFields = {
  schemaVersion: Type.Literal(CONTRACT_VERSION, { description: 'Contract version of this record' }),
  liftId: LiftId,
  seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Per-terminal monotonic sequence number: the dedup key' }),
  ts: EpochMs,
} satisfies TProperties;

/** A strict object: unknown fields are rejected, so a misspelt field name is reported rather than silently dropped. */
export function record<P extends TProperties>(name: string, properties: P, description: string) {
  return Type.Object({ ...envelopeFields, ...properties }, { $id: name, additionalProperties: false, description });
}

export const Floor = Type.Integer({ minimum: -20, maximum: 250, description: 'Logical floor number (may be negative for basements)' });
export const Direction = Type.Union([Type.Literal('none'), Type.Literal('up'), Type.Literal('down')]);
