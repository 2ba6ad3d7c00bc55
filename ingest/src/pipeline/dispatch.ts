import { errorText } from '@liftwatch/contract';
import type { Origin } from '../config.js';
import { guardPoison } from '../poison-guard.js';
import { refuseFromTheFuture } from './clock-ahead.js';
import { decode } from './decode.js';
import { dedup } from './dedup.js';
import { detect } from './detect.js';
import { deadLetter, newMessage, type Message, type Pipeline, type RecordStep } from './message.js';
import { raise } from './raise.js';
import { noteServiceMode } from './service-mode.js';
import { commit, store, storeRejectedAndPresence } from './store.js';

/** What a QoS 0 message's handling answers at once: one settled promise for them all. */
const DONE: Promise<void> = Promise.resolve();

/**
 * What happens to each record of a message, in order (ingest/README.md); a step that returns false
 * ends that record's way: a replay (dedup), a record from the future (refuseFromTheFuture).
 */
export const RECORD_STEPS: readonly RecordStep[] = [dedup, detect, raise, refuseFromTheFuture, noteServiceMode, store];

/**
 * The one dispatcher of the pipeline: decode the message; wait, if another node may hold newer, for
 * the shared rule state of its lifts; each record through RECORD_STEPS; commit. `handle` resolves when
 * everything the message carried, records and dead letters alike, is committed: the broker
 * acknowledges the message only then. It rejects only when the store failed, so the terminal keeps
 * the message and sends it again.
 */
export function createDispatcher(p: Pipeline) {
  function handleMessage(topic: string, payload: Uint8Array, origin: Origin): Promise<void> {
    p.stats.messages++;
    const m = newMessage(topic, payload, origin, p.now());
    const ended = decode(m, p);
    if (ended) return ended;
    const ready = p.ruleState.ready(m.decoded.records);
    return ready ? ready.then(() => throughSteps(m)) : throughSteps(m);
  }

  function throughSteps(m: Message): Promise<void> {
    m.at = p.serverTime(m.rx);
    storeRejectedAndPresence(m, p);
    for (const r of m.decoded.records) {
      for (const step of RECORD_STEPS) if (!step(r, m, p)) break;
    }
    return commit(m, p);
  }

  /** Any fault but the store's makes the message a dead letter, committed and acknowledged (poison-guard.ts). */
  const guarded = guardPoison(handleMessage, (topic, payload, origin, reason) => {
    let rx: number;
    try { rx = p.now(); } catch { rx = Date.now(); }
    return p.writer.write(topic, [deadLetter(p, { topic, payload, origin, rx }, 'LW_ERR_PAYLOAD_UNPROCESSABLE', reason)]);
  }, p.log);

  /**
   * Handles one MQTT message. For QoS 1 and 2 it resolves once all the message carried is committed,
   * and the broker acknowledges only then. A QoS 0 message has no acknowledgement to hold back
   * [MQTT-4.3.1]: it resolves at once, so that periodic status snapshots never wait behind a commit;
   * the terminal chose "at most once" for them (the contract sends events at QoS 1).
   */
  function handle(topic: string, payload: Uint8Array, origin: Origin, qos: 0 | 1 | 2 = 1): Promise<void> {
    const done = guarded(topic, payload, origin);
    if (qos !== 0) return done;
    watchQos0(done);
    return DONE;
  }

  /** QoS 0 messages whose writes share a commit (and so its promise) share one handler, which counts them all. */
  let qos0: { done: Promise<void>; messages: number } | undefined;
  function watchQos0(done: Promise<void>): void {
    if (qos0?.done === done) {
      qos0.messages++;
      return;
    }
    const w = { done, messages: 1 };
    qos0 = w;
    done.catch((err: unknown) => droppedQos0(err, w.messages));
  }

  /** QoS 0 messages that could not be stored: counted, and logged now and then (the first, then every 10,000th). */
  function droppedQos0(err: unknown, messages: number): void {
    const before = p.stats.droppedQos0;
    p.stats.droppedQos0 += messages;
    if (before === 0 || Math.floor(before / 10_000) !== Math.floor(p.stats.droppedQos0 / 10_000)) p.log(`ingest: ${p.stats.droppedQos0} QoS 0 messages dropped so far (${errorText(err)})`);
  }

  return { handle };
}
