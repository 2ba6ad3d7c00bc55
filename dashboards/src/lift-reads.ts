import type { LiftSummary } from '@liftwatch/contract';
import type { DashboardDeps, LiftFacts } from './deps.js';

/** The summaries of these lifts that exist: one read with `getMany`, else one `get` each. */
export async function readLifts(deps: Pick<DashboardDeps, 'lifts'>, liftIds: readonly string[]): Promise<LiftSummary[]> {
  if (liftIds.length === 0) return [];
  if (deps.lifts.getMany) return deps.lifts.getMany(liftIds);
  const out: LiftSummary[] = [];
  for (const id of liftIds) {
    const l = await deps.lifts.get(id);
    if (l) out.push(l);
  }
  return out;
}

/** What the fleet index needs of these lifts: `getFacts` (no status read) where the port has it, else their summaries. */
export async function readLiftFacts(deps: Pick<DashboardDeps, 'lifts'>, liftIds: readonly string[]): Promise<LiftFacts[]> {
  if (liftIds.length > 0 && deps.lifts.getFacts) return deps.lifts.getFacts(liftIds);
  return readLifts(deps, liftIds);
}
