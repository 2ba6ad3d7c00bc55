import { decodePayload, DEFAULT_MAX_JSON_DEPTH, lwError, parseJson, parseTopic, STREAMS, validateMessage, type PresenceRecord, type StreamName } from '@liftwatch/contract';
import type { StoreOp } from '../store/store-op.js';
import { deadLetter, type Message, type Pipeline } from './message.js';

/**
 * The first step: the topic and the bytes (`@liftwatch/contract` decodePayload, each record checked
 * against its stream's schema). Returns the message's outcome when it goes no further: a topic that
 * is not liftwatch's (a dead letter), a presence message (stored at once), the platform's own
 * `config` and `cmd` (nothing to store), or a store too far behind (refused without acknowledgement,
 * the terminal sends it again). Otherwise `m.decoded` holds its records and those rejected.
 */
export function decode(m: Message, p: Pipeline): Promise<void> | undefined {
  const parsed = parseTopic(m.topic);
  if (!parsed.ok) return p.writer.write(m.topic, [deadLetter(p, m, 'LW_ERR_TOPIC_INVALID', parsed.reason)]);
  if (parsed.stream === 'presence') return p.writer.write(m.topic, presenceOps(m, p, parsed.liftId));
  if (STREAMS[parsed.stream as StreamName].direction === 'down' && m.origin === null) return Promise.resolve();
  if (p.writer.pending() >= p.maxPending) {
    p.stats.refusedBusy++;
    return Promise.reject(lwError('LW_ERR_STORAGE', `the store is behind (${p.writer.pending()} records waiting): message on ${m.topic} refused without acknowledgement; the terminal sends it again`));
  }
  m.liftId = parsed.liftId;
  m.decoded = decodePayload(parsed.liftId, parsed.stream, m.payload, p.cfg.limits);
  if (m.decoded.records.length > 0) m.lift = p.lifts.of(parsed.liftId);
  return undefined;
}

/** A presence message: the retained `online` of a terminal, or its last will's `offline`. */
function presenceOps(m: Message, p: Pipeline, liftId: string): StoreOp[] {
  const json = parseJson(m.payload, p.cfg.limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (!json.ok) return [deadLetter(p, m, json.code, json.reason)];
  const valid = validateMessage('presence', json.value);
  if (!valid.ok) return [deadLetter(p, m, 'LW_ERR_PAYLOAD_INVALID', valid.reason)];
  return p.presence.declared(liftId, (json.value as PresenceRecord).state, m.origin, m.rx);
}
