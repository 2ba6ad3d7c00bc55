import type { LiftLabel } from '@liftwatch/alerting';
import type { StateStore } from '@liftwatch/state-store';
import type { LaterParts } from './roles/state.js';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * A lift's name and address as notifications give them: the platform registry's when an admin set
 * them (the registry's profile fields, when this version has them), else what the lift's terminal
 * reported about itself (this node's ingest, or the shared lift table of every node), or what the
 * simulation will have it report (a demo lift whose history is being written).
 */
export function liftLabels(state: Pick<StateStore, 'lifts' | 'liftRegistry'>, later: LaterParts): (liftId: string) => Promise<LiftLabel | undefined> {
  return async (liftId) => {
    const registered = (await state.liftRegistry.get(liftId)) as Record<string, unknown> | undefined;
    const reported = later.localLift?.(liftId)?.registry ?? ((await state.lifts.get(liftId))?.registry as Record<string, unknown> | null | undefined) ?? later.simulatedSite?.(liftId);
    const name = text(registered?.['name']) ?? text(reported?.['name']);
    const address = text(registered?.['address']) ?? text(reported?.['address']);
    return name === null && address === null ? undefined : { name, address };
  };
}

/** The console's address for links in notifications: the `consoleUrl` setting, else this node's HTTP address once it listens. */
export function consoleUrlOf(config: { consoleUrl: string }, later: LaterParts): () => string | undefined {
  return () => config.consoleUrl || later.httpUrl;
}
