import type { LiftAssignment } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';
import type { User } from './schemas.js';

/**
 * Which lifts a user may see (issue 8 §2). Admins see every lift; everyone else only lifts tied to
 * their organisation. `areaCode`, when the caller has it, is the lift's area in the platform's
 * registry (`LiftSummary.registered`), never what its terminal reports.
 */
export type LiftFilter = (liftId: string, areaCode?: string | null) => boolean;

/** A lift's area code in the platform's registry when known at once; undefined: not known here (the filter then sees only what the district assignment gives). */
export type AreaOf = (liftId: string) => string | null | undefined;

/** The area that decides who sees a lift: the platform's registry, set by admins. A terminal's own registry record never counts. */
export const scopeArea = (lift: { registered?: { areaCode: string | null } | null } | undefined): string | null => lift?.registered?.areaCode ?? null;

/** The area of a lift from the lifts port, when it answers at once (the node's own SQLite); a shared store's answer is not waited for. */
const portAreaOf = (deps: DashboardDeps): AreaOf => (liftId) => {
  const lift = deps.lifts.get(liftId);
  if (lift instanceof Promise) {
    lift.catch(() => {});
    return undefined;
  }
  return lift ? scopeArea(lift) : undefined;
};

/**
 * Areas for whole-list filters (alerts, visits): the lifts port while it answers at once, else (a
 * shared store, found at the first call) the fleet index's copy, so a list is not one query per lift.
 */
export function areaLookup(deps: DashboardDeps, index: { get(liftId: string): { areaCode: string | null } | undefined }): AreaOf {
  let shared = false;
  return (liftId) => {
    if (shared) return index.get(liftId)?.areaCode;
    const lift = deps.lifts.get(liftId);
    if (!(lift instanceof Promise)) return lift ? scopeArea(lift) : undefined;
    shared = true;
    lift.catch(() => {});
    return index.get(liftId)?.areaCode;
  };
}

/** A lift's area code in the platform's registry, read from the lifts port, awaited (a route's own lift). */
export async function areaOfLift(deps: DashboardDeps, liftId: string): Promise<string | null> {
  return scopeArea(await deps.lifts.get(liftId));
}

/**
 * `assignment` reads a lift's crew assignment from memory (the fleet index's cache of every assignment).
 * `areaOf` gives a lift's area when the caller does not (a regulator's district): the lifts port by
 * default when it answers at once, the fleet index when the lifts are in a shared store.
 */
export function liftFilter(deps: DashboardDeps, user: User, assignment: (liftId: string) => LiftAssignment | undefined, areaOf: AreaOf = portAreaOf(deps)): LiftFilter {
  if (user.role === 'admin') return () => true;
  const org = user.orgId;
  switch (user.role) {
    case 'manager':
    case 'crew':
      return (liftId) => org !== null && assignment(liftId)?.maintenanceUnit === org;
    case 'useUnit':
      return (liftId) => org !== null && assignment(liftId)?.useUnit === org;
    case 'regulator':
      return (liftId, areaCode) => {
        if (org !== null && assignment(liftId)?.district === org) return true;
        if (user.areaCode === null) return false;
        const area = areaCode === undefined ? areaOf(liftId) : areaCode;
        return area === user.areaCode;
      };
  }
}

/** Organisations whose people, rota and policies a user may read: all for admin, else their own. */
export const orgVisible = (user: User, orgId: string): boolean => user.role === 'admin' || user.orgId === orgId;
