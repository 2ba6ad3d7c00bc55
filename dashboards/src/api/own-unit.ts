import { lwError, type Organisation, type Person } from '@liftwatch/contract';
import type { User } from '../auth/schemas.js';
import type { CrewsPort } from '../deps.js';

/**
 * What a manager may change of their own maintenance unit, checked before the write: the people of
 * their unit, and the unit itself as it is (its name, who has which role), nothing of another one.
 */

/** A person a manager writes must be, and stay, of the manager's own organisation. */
export function ownPerson(user: User, id: string, stored: Person | undefined, body: unknown): void {
  const orgId = (body as { orgId?: unknown }).orgId;
  if (stored && stored.orgId !== user.orgId) {
    throw lwError('LW_ERR_FORBIDDEN', `person ${JSON.stringify(id)} is of ${stored.orgId}, not of your unit (${user.orgId ?? 'none'}): a manager changes the people of their own unit; choose another id for a new person`);
  }
  if (typeof orgId === 'string' && orgId !== user.orgId) {
    throw lwError('LW_ERR_FORBIDDEN', `orgId ${JSON.stringify(orgId)} is not your unit (${user.orgId ?? 'none'}): a manager adds people to their own unit only`);
  }
}

/** A manager updates their existing unit; a new organisation or another kind is for admins. */
export async function ownOrgUnchangedKind(crews: CrewsPort, id: string, body: unknown): Promise<Organisation> {
  const stored = await crews.getOrg(id);
  if (!stored) throw lwError('LW_ERR_FORBIDDEN', `organisation ${JSON.stringify(id)} does not exist yet: an admin adds organisations`);
  const kind = (body as { kind?: unknown }).kind;
  if (kind !== stored.kind) throw lwError('LW_ERR_FORBIDDEN', `organisation ${id} is a ${stored.kind}, and the body says ${JSON.stringify(kind)}: only an admin changes an organisation's kind`);
  // Roles are filled with the unit's own people: another unit's would be sent this unit's alerts.
  const roles = (body as { roles?: unknown }).roles;
  const named = roles && typeof roles === 'object' ? Object.values(roles).flat().filter((x): x is string => typeof x === 'string') : [];
  for (const personId of new Set(named)) {
    const person = await crews.getPerson(personId);
    if (person && person.orgId !== id) throw lwError('LW_ERR_FORBIDDEN', `person ${JSON.stringify(personId)} is of ${person.orgId}: a manager gives the roles of their unit to its own people`);
  }
  return stored;
}

/** A login a manager writes: a crew member of their own unit, and not someone else's account. */
export function ownCrewLogin(user: User, id: string, stored: User | undefined, input: { role: string; orgId: string | null }): void {
  if (stored && !(stored.role === 'crew' && stored.orgId === user.orgId)) {
    throw lwError('LW_ERR_FORBIDDEN', `user ${JSON.stringify(id)} is not a crew member of your unit: a manager sets the logins of their own crew; choose another id`);
  }
  if (input.role !== 'crew' || input.orgId !== user.orgId) {
    throw lwError('LW_ERR_FORBIDDEN', `a manager gives logins with role "crew" and orgId ${JSON.stringify(user.orgId)} only (got role ${JSON.stringify(input.role)}, orgId ${JSON.stringify(input.orgId)})`);
  }
}
