import { clip, errorText, LiftwatchError } from '@liftwatch/contract';
import type { Origin } from './config.js';

type Handler = (topic: string, payload: Uint8Array, origin: Origin) => Promise<void>;

/** Only a store that could not be written leaves a message unacknowledged: the terminal sends it again later. */
export const isStorageFailure = (err: unknown): boolean => err instanceof LiftwatchError && err.code === 'LW_ERR_STORAGE';

/** The first poison messages are logged one by one, then one in this many (each is a dead letter anyway). */
const LOG_EVERY = 1000;
const LOG_FIRST = 10;

/**
 * Wraps the handling of one message so that a fault other than the store's, thrown at once or
 * later, makes the message a dead letter that is committed and acknowledged instead. Such a
 * message fails the same way on every delivery: unacknowledged, a terminal with a persistent
 * session would send it again after every reconnect, and a throw would take the whole process
 * down each time. `deadLetter` stores it and rejects only when the store fails.
 */
export function guardPoison(handle: Handler, deadLetter: (topic: string, payload: Uint8Array, origin: Origin, reason: string) => Promise<void>, log: (line: string) => void): Handler {
  let poisoned = 0;
  const poison = (topic: string, payload: Uint8Array, origin: Origin, err: unknown): Promise<void> => {
    const fault = errorText(err, 300);
    poisoned++;
    if (poisoned <= LOG_FIRST || poisoned % LOG_EVERY === 0) {
      log(`ingest: message of ${payload.byteLength} bytes on ${clip(topic, 200)} from ${clip(origin ?? 'the platform', 100)} failed (${fault}): kept as dead letter LW_ERR_PAYLOAD_UNPROCESSABLE and acknowledged (${poisoned} so far)`);
    }
    try {
      return deadLetter(topic, payload, origin, `liftwatch could not handle this message (${fault}); it is kept here and acknowledged, since it would fail the same way again: report it with this dead letter`);
    } catch (deadLetterErr) {
      return Promise.reject(deadLetterErr as Error); // not stored: not acknowledged either
    }
  };
  // Messages whose writes share a commit get the same promise from `handle` (the batch writer's, which
  // rejects only with a store failure): they share its guarded promise too, instead of one each.
  let last: { handled: Promise<void>; guarded: Promise<void> } | undefined;
  return (topic, payload, origin) => {
    try {
      const handled = handle(topic, payload, origin);
      if (last?.handled === handled) return last.guarded;
      const guarded = handled.catch((err: unknown) => (isStorageFailure(err) ? Promise.reject(err) : poison(topic, payload, origin, err)));
      last = { handled, guarded };
      return guarded;
    } catch (err) {
      return poison(topic, payload, origin, err);
    }
  };
}
