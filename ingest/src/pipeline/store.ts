import { inflightUntil } from '../inflight-seqs.js';
import type { Message, Pipeline, RecordStep } from './message.js';
import { deadLetter } from './message.js';

/**
 * Before the records: those decode rejected become dead letters (the other records of the same
 * array go on), and a client that sends a lift's records speaks for it (presence-tracker.ts).
 */
export function storeRejectedAndPresence(m: Message, p: Pipeline): void {
  for (const r of m.decoded.rejections) m.ops.push(deadLetter(p, m, r.code, r.reason));
  if (m.origin !== null && m.lift) p.presence.seenFrom(m.origin, m.lift, m.rx, m.ops);
}

/**
 * The record goes to the batch writer, serialised once: a message of one record as it came (its
 * payload's text). Its lift id is the lift table's own string (decode checked it is the record's):
 * every map by lift id after this one finds it by the same string, its hash already known.
 */
export const store: RecordStep = (r, m) => {
  const rec = r.record;
  const body = m.decoded.text ?? JSON.stringify(rec);
  const lift = m.lift!;
  m.ops.push({ kind: 'record', liftId: lift.liftId, lift: lift.index, stream: r.stream, seq: rec.seq, ts: rec.ts, rx: m.rx, record: rec as unknown as Record<string, unknown>, body });
  return true;
};

/**
 * The message's writes go into the next group commit. It is acknowledged when they are stored and
 * its alert actions are done, and after the first copies of any records it carried again; its
 * records' seqs count as in flight until then (dedup.ts).
 */
export function commit(m: Message, p: Pipeline): Promise<void> {
  const stored = p.writer.write(m.topic, m.ops);
  const committed = m.alarms ? Promise.all([stored, ...m.alarms]).then(() => undefined) : stored;
  if (m.lift) inflightUntil(m.lift, m.ops, committed);
  return m.replays ? Promise.all([committed, ...m.replays]).then(() => undefined) : committed;
}
