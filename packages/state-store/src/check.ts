import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { clip, isValidLiftId, lwError, preview } from '@liftwatch/contract';

/** Validates input against its contract schema (defaults applied); a wrong one is LW_ERR_REQUEST_INVALID naming the field and value. */
export function parse<S extends TSchema>(schema: S, input: unknown, what: string): Static<S> {
  const value: unknown = Value.Default(schema, structuredClone(input));
  const first = Value.Errors(schema, value).First();
  if (first) throw lwError('LW_ERR_REQUEST_INVALID', `${what}: ${clip(first.path, 100) || '(body)'} ${first.message.toLowerCase()} (got ${preview(first.value)})`);
  return value as Static<S>;
}

export function checkLiftId(liftId: string, what = 'lift id'): void {
  if (!isValidLiftId(liftId)) throw lwError('LW_ERR_REQUEST_INVALID', `${what} ${JSON.stringify(liftId)} is not valid: use 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit`);
}

export function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw lwError('LW_ERR_REQUEST_INVALID', `${what} is ${JSON.stringify(value)}: give milliseconds since 1970 as a whole number`);
}

/** True for a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
