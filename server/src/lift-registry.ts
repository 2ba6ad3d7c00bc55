import type { LiftRegistryEntry } from '@liftwatch/contract';
import type { LiftRegistryPort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

type Entry = LiftRegistryEntry & { liftId: string };

/** The registry with every entry at hand: each lift of a list gets its own without a query. */
export type CachedLiftRegistry = LiftRegistryPort & { registered(liftId: string): Entry | undefined; inArea(areaCode: string): string[] };

/**
 * The platform's lift registry (set by admins: each lift's area, which decides who sees it) of the
 * all-in-one, the only process that writes it: in the state store, and mirrored in memory.
 */
export async function cachedLiftRegistry(registry: StateStore['liftRegistry']): Promise<CachedLiftRegistry> {
  const entries = new Map<string, Entry>((await registry.list()).map((e) => [e.liftId, e]));
  return {
    get: (liftId) => entries.get(liftId),
    registered: (liftId) => entries.get(liftId),
    async put(list, actor) {
      const rows = await registry.put(list, actor);
      for (const r of rows) entries.set(r.liftId, r);
      return rows;
    },
    inArea: (areaCode) => [...entries.values()].filter((e) => e.areaCode === areaCode).map((e) => e.liftId).sort(),
  };
}

/** The lift registry of a deployment of several nodes: in the shared state store, read there by every node. */
export function stateLiftRegistry(registry: StateStore['liftRegistry']): LiftRegistryPort {
  return { get: (liftId) => registry.get(liftId), put: (entries, actor) => registry.put(entries, actor) };
}
