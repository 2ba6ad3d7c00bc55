import type { LiftAssignment } from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';
import type { User } from './schemas.js';

/** Which lifts a user may see (issue 8 §2). Admins see every lift; everyone else only lifts tied to their organisation. */
export type LiftFilter = (liftId: string, areaCode?: string | null) => boolean;

/** `assignment` reads a lift's crew assignment from memory (the fleet index's cache of every assignment). */
export function liftFilter(deps: DashboardDeps, user: User, assignment: (liftId: string) => LiftAssignment | undefined): LiftFilter {
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
        const area = areaCode === undefined ? deps.lifts.get(liftId)?.registry?.areaCode : areaCode;
        return area === user.areaCode;
      };
  }
}

/** Organisations whose people, rota and policies a user may read: all for admin, else their own. */
export const orgVisible = (user: User, orgId: string): boolean => user.role === 'admin' || user.orgId === orgId;
