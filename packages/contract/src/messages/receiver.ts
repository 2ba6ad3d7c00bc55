import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { clip, errorText, MAX_LOG_LINE_CHARS, preview } from '../bounded-text.js';
import { explainSchemaErrors } from '../decode.js';
import { lwError, type LiftwatchError } from '../errors.js';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeded, tooDeepReason } from '../json-depth.js';

/** Where liftwatch nodes send each other messages: the change feed, alerting's job queue, ingest's shared rule state. */
export type MessageChannel = 'live-changes' | 'alert-jobs' | 'rule-state';

const CHANNEL_TEXT: Readonly<Record<MessageChannel, string>> = {
  'live-changes': 'a live change received through Redis',
  'alert-jobs': 'an alert job taken from the queue',
  'rule-state': 'a lift\'s shared rule state read from Redis',
};

const rejected: Record<MessageChannel, number> = { 'live-changes': 0, 'alert-jobs': 0, 'rule-state': 0 };

/**
 * Messages dropped because they did not match their schema, per channel, since this process
 * started: the metric liftwatch_messages_rejected_total. Counted per process, as Prometheus counts.
 */
export function rejectedMessageCounts(): Readonly<Record<MessageChannel, number>> {
  return { ...rejected };
}

export type Received<T> = { ok: true; value: T } | { ok: false; error: LiftwatchError };

export interface MessageReceiver<T> {
  /** Checks a message already parsed (a job's payload); `name` names this one in the reason (`rule state of L-1`). */
  check(value: unknown, name?: string): Received<T>;
  /** Parses JSON text and checks it. */
  parse(text: string, name?: string): Received<T>;
  /** Drops a message for a reason found outside the schema (an unknown job kind), counted and logged alike. */
  reject(reason: string): { ok: false; error: LiftwatchError };
}

export interface MessageReceiverOptions {
  /** Where a dropped message is reported. @defaultValue nowhere (it is still counted) */
  readonly log?: ((line: string) => void) | undefined;
  /** The message's name in reasons, before the field path (`deliver.to.kind: …`). @defaultValue the channel */
  readonly name?: string;
}

/**
 * The receiving end of one kind of message between nodes: its schema compiled once, and what is
 * done with a message that does not match it. Such a message is dropped, never half-used: it is
 * counted (rejectedMessageCounts) and logged, the first of each channel and then one in 1,000, so a
 * stream of them cannot flood the log. The error (LW_ERR_MESSAGE_INVALID) names the field and value.
 */
export function createMessageReceiver<S extends TSchema>(channel: MessageChannel, schema: S, options: MessageReceiverOptions = {}): MessageReceiver<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  const log = options.log ?? (() => {});
  const defaultName = options.name ?? channel;
  const reject = (reason: string): { ok: false; error: LiftwatchError } => {
    const n = ++rejected[channel];
    const error = lwError('LW_ERR_MESSAGE_INVALID', `${CHANNEL_TEXT[channel]} does not match its schema and is dropped: ${reason}. Nodes that share a Redis must run the same liftwatch version, and nothing else may write to liftwatch's keys and channels`);
    if (n === 1 || n % 1000 === 0) log(clip(`liftwatch: ${error.message} (${n} dropped on this node so far)`, MAX_LOG_LINE_CHARS));
    return { ok: false, error };
  };
  const check = (value: unknown, name = defaultName): Received<Static<S>> => {
    if (compiled.Check(value)) return { ok: true, value };
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return reject(isObject ? explainSchemaErrors(name, compiled, value) : `${name}: expected a JSON object, got ${preview(value)}`);
  };
  return {
    check,
    reject,
    parse(text: string, name = defaultName): Received<Static<S>> {
      const tooDeep = jsonDepthExceeded(text, DEFAULT_MAX_JSON_DEPTH);
      if (tooDeep >= 0) return reject(tooDeepReason(name, tooDeep, DEFAULT_MAX_JSON_DEPTH));
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        return reject(`${name}: not JSON (${errorText(err, 200)})`);
      }
      return check(value, name);
    },
  };
}
