import type { LiftSummary } from '@liftwatch/contract';
import type { DashboardDeps } from './deps.js';

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
