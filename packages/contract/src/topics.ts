import { CONTRACT_VERSION } from './version.js';
import { LIFT_ID_PATTERN } from './streams/envelope.js';
import { isStreamName, STREAM_NAMES, type StreamName } from './streams/index.js';

/** The one place where topics are spelt: `lift/v1/{liftId}/{stream}` (docs/architecture.md#contract). */
export const TOPIC_ROOT = 'lift';
const VERSION_SEGMENT = `v${CONTRACT_VERSION}`;
const liftIdRe = new RegExp(LIFT_ID_PATTERN);

export function isValidLiftId(liftId: string): boolean {
  return liftIdRe.test(liftId);
}

/** Builds a topic; throws on an invalid lift id, since that is a programming error on the sending side. */
export function liftTopic(liftId: string, stream: StreamName): string {
  if (!isValidLiftId(liftId)) {
    throw new TypeError(`lift id ${JSON.stringify(liftId)} is not valid: use 1–64 of A–Z a–z 0–9 _ . -, starting with a letter or digit`);
  }
  return `${TOPIC_ROOT}/${VERSION_SEGMENT}/${liftId}/${stream}`;
}

/** Wildcard subscription for one stream of every lift, or every stream of one lift. */
export function liftTopicFilter(opts: { liftId?: string; stream?: StreamName } = {}): string {
  return `${TOPIC_ROOT}/${VERSION_SEGMENT}/${opts.liftId ?? '+'}/${opts.stream ?? '+'}`;
}

export type ParsedTopic =
  | { ok: true; liftId: string; stream: StreamName }
  | { ok: false; reason: string };

const PREFIX = `${TOPIC_ROOT}/${VERSION_SEGMENT}/`;

/** Parses a topic. Never throws: a foreign or malformed topic gives a reason. */
export function parseTopic(topic: string): ParsedTopic {
  // Every message of every terminal comes this way: a well-formed topic is cut where its slashes are,
  // with no array of its levels; anything else takes the way below, which names what is wrong.
  if (typeof topic === 'string' && topic.length <= 256 && topic.startsWith(PREFIX)) {
    const slash = topic.indexOf('/', PREFIX.length);
    if (slash > 0 && topic.indexOf('/', slash + 1) < 0) {
      const liftId = topic.slice(PREFIX.length, slash);
      const stream = topic.slice(slash + 1);
      if (isValidLiftId(liftId) && isStreamName(stream)) return { ok: true, liftId, stream };
    }
  }
  return parseTopicLevels(topic);
}

function parseTopicLevels(topic: string): ParsedTopic {
  if (typeof topic !== 'string' || topic.length === 0) return { ok: false, reason: 'topic is empty' };
  if (topic.length > 256) return { ok: false, reason: `topic is ${topic.length} characters long; at most 256 are allowed` };
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT) {
    return { ok: false, reason: `topic ${JSON.stringify(topic)} is not a liftwatch topic: expected lift/v1/{liftId}/{stream}` };
  }
  if (parts[1] !== VERSION_SEGMENT) {
    return { ok: false, reason: `topic ${JSON.stringify(topic)} has version ${JSON.stringify(parts[1] ?? '')}; this platform speaks ${VERSION_SEGMENT}` };
  }
  if (parts.length !== 4) {
    return { ok: false, reason: `topic ${JSON.stringify(topic)} has ${parts.length} levels; expected 4: lift/v1/{liftId}/{stream}` };
  }
  const liftId = parts[2] ?? '';
  const stream = parts[3] ?? '';
  if (!isValidLiftId(liftId)) {
    return { ok: false, reason: `lift id ${JSON.stringify(liftId)} in topic is not valid: use 1–64 of A–Z a–z 0–9 _ . -` };
  }
  if (!isStreamName(stream)) {
    return { ok: false, reason: `stream ${JSON.stringify(stream)} is unknown; known streams: ${STREAM_NAMES.join(', ')}` };
  }
  return { ok: true, liftId, stream };
}
