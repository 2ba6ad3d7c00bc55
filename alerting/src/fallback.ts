import type { ChannelAddress, ChannelKind, Person } from '@liftwatch/contract';
import type { Awaitable, CrewBackend } from './backend.js';

/** A user the last fallback reaches in the console (an admin of the console and API). */
export interface ConsoleUser { readonly id: string; readonly name: string }

/** Who a P1 falls back to, and which rung of the ladder they are. */
export interface Fallback {
  readonly kind: 'duty' | 'admins';
  readonly people: ReadonlyArray<Pick<Person, 'id' | 'name' | 'channels'> & { role: string }>;
  /** For the alert's audit: who, and why them. */
  readonly note: string;
}

export interface FallbackDeps {
  readonly crew: Pick<CrewBackend, 'getLift' | 'getOrg' | 'getPerson'>;
  /** The admins now; none (or none given) leaves the group "admins", still a line in the log and the inbox. */
  readonly admins?: (() => Awaitable<readonly ConsoleUser[]>) | undefined;
  /** Whether a channel kind is set up in this liftwatch (an address on another one reaches nobody). */
  readonly configured: (kind: ChannelKind) => boolean;
}

/** The cause of a fallback delivery starts with this (its job id and idempotency key carry it). */
export const FALLBACK_CAUSE_PREFIX = 'fb-';

/** Whether a person can be reached at all: one address on a channel this liftwatch has. */
export const reachable = (p: { channels: readonly ChannelAddress[] }, configured: (kind: ChannelKind) => boolean) =>
  p.channels.some((c) => configured(c.kind));

/**
 * Who a P1 reaches when an escalation step reaches nobody (no crew assigned, nobody on call, nobody
 * with a channel): the 24-hour duty contacts (`roles.duty`) of the lift's maintenance unit, else
 * of its district, else the admins in the console. Never empty: the last rung needs no
 * configuration, and the console channel is built in.
 */
export async function fallbackFor(deps: FallbackDeps, liftId: string): Promise<Fallback> {
  const lift = await deps.crew.getLift(liftId);
  for (const orgId of [lift?.maintenanceUnit, lift?.district]) {
    if (!orgId) continue;
    const org = await deps.crew.getOrg(orgId);
    const people = (await Promise.all((org?.roles['duty'] ?? []).map((id) => deps.crew.getPerson(id))))
      .filter((p): p is Person => p !== undefined && reachable(p, deps.configured));
    if (people.length > 0) return { kind: 'duty', people: people.map((p) => ({ ...p, role: 'duty' })), note: `the duty contact(s) of ${orgId}: ${people.map((p) => p.id).join(', ')}` };
  }
  const admins = (await deps.admins?.()) ?? [];
  const people = admins.length > 0
    ? admins.map((u) => ({ id: u.id, name: u.name, role: 'admin', channels: [{ kind: 'console' as const, to: u.id }] }))
    : [{ id: 'admins', name: 'administrators', role: 'admin', channels: [{ kind: 'console' as const, to: 'admins' }] }];
  const why = lift ? `no duty contact with a channel in ${[lift.maintenanceUnit, lift.district].filter(Boolean).join(' or ')}` : `lift ${liftId} belongs to no maintenance unit`;
  return { kind: 'admins', people, note: `the admins in the console (${people.map((p) => p.id).join(', ')}): ${why}` };
}
