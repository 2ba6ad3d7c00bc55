import { liftTopic, parseTopic, TOPIC_ROOT, type StreamName } from '@liftwatch/contract';
import type { Principal } from './terminal-registry.js';

/** null: allowed; a string: why not, naming the topic and what the account may use. */
export type AclDecision = string | null;

const DOWN: ReadonlySet<StreamName> = new Set(['config', 'cmd']);

/**
 * Who may publish where. A terminal speaks only for its own lift and only on known up streams
 * (docs/architecture.md#contract); the dashboards account sends config and cmd to any lift; ingest only reads.
 * Anonymous clients, when allowed at all, may publish the up streams of any lift.
 */
export function mayPublish(who: Principal, topic: string): AclDecision {
  const parsed = parseTopic(topic);
  if (!parsed.ok) return parsed.reason;
  const { liftId, stream } = parsed;
  const down = DOWN.has(stream);
  switch (who.role) {
    case 'terminal':
      if (liftId !== who.liftId) return `terminal ${who.id} speaks for lift ${who.liftId ?? '?'} and may not publish to ${topic}, a topic of lift ${liftId}`;
      if (down) return `stream ${stream} goes from the platform to the terminal; terminal ${who.id} may not publish to ${topic}`;
      return null;
    case 'anonymous':
      return down ? `stream ${stream} goes from the platform to the terminal; an anonymous client may not publish to ${topic}` : null;
    case 'dashboards':
      return down ? null : `the dashboards account sends only config and cmd; it may not publish to ${topic}`;
    case 'ingest':
      return `the ingest account only subscribes; it may not publish to ${topic}`;
  }
}

/**
 * Who may subscribe to what. A terminal reads only its own lift's config and cmd topics, no wildcards,
 * so a stolen token shows nothing of other lifts. Service accounts read every lift. (aedes 1.x has no
 * shared subscriptions: `$share/…` is a literal $-topic to it and is refused here.)
 */
export function maySubscribe(who: Principal, filter: string): AclDecision {
  if (who.role === 'terminal' || who.role === 'anonymous') {
    if (who.liftId !== null && (filter === liftTopic(who.liftId, 'config') || filter === liftTopic(who.liftId, 'cmd'))) return null;
    const parsed = parseTopic(filter); // fails on + and #: no wildcards
    if (who.role === 'anonymous' && parsed.ok && DOWN.has(parsed.stream)) return null;
    return `${who.role === 'terminal' ? `terminal ${who.id}` : 'an anonymous client'} may subscribe only to its own lift's config and cmd topics, not to ${JSON.stringify(filter)}`;
  }
  if (filter === '#' || filter.startsWith(`${TOPIC_ROOT}/`)) return null;
  return `the ${who.role} account may subscribe only under ${TOPIC_ROOT}/, not to ${JSON.stringify(filter)}`;
}

/** True for a topic of a stream that goes from the platform to terminals (config, cmd): nothing to ingest. */
export function isDownTopic(topic: string): boolean {
  const parsed = parseTopic(topic);
  return parsed.ok && DOWN.has(parsed.stream);
}
