import { Type } from '@sinclair/typebox';
import { HazardCategory, HazardSource, HazardState } from '@liftwatch/contract';
import type { HazardsPort } from './port.js';

export const HazardFigures = Type.Object({
  active: Type.Integer({ description: 'Hazards not yet closed: open (to fix) and rectified (fixed, waiting for the check)' }),
  open: Type.Integer(),
  rectified: Type.Integer(),
  list: Type.Array(Type.Object({ id: Type.Integer(), liftId: Type.String(), state: HazardState, source: HazardSource, category: HazardCategory, openedAt: Type.Integer() }), { description: 'The hazards behind the count, oldest first' }),
}, { description: 'Hazards on the view\'s lifts not yet closed (reported by residents, found by crews or inspectors)' });

/** The regulator's count of hazards not yet closed on these lifts, with the list behind it. */
export async function hazardFigures(hazards: HazardsPort, liftIds: ReadonlySet<string>) {
  const list = (await hazards.list({ state: 'active', limit: 100_000 })).filter((h) => liftIds.has(h.liftId)).reverse()
    .map(({ id, liftId, state, source, category, openedAt }) => ({ id, liftId, state, source, category, openedAt }));
  return { active: list.length, open: list.filter((h) => h.state === 'open').length, rectified: list.filter((h) => h.state === 'rectified').length, list };
}
