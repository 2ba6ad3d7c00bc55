import type { LiftProfile, LiftRegistryEntry } from '@liftwatch/contract';
import type { LiftRegistryPort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

/** The registry with the entries' areas at hand: each lift of a list gets its own without a query. */
export type CachedLiftRegistry = LiftRegistryPort & { registered(liftId: string): LiftRegistryEntry | undefined; inArea(areaCode: string): string[] };

type Stores = Pick<StateStore, 'liftRegistry' | 'inspections'>;

/** The lift registry of a deployment of several nodes: in the shared state store, read there by every node. */
export function stateLiftRegistry({ liftRegistry: r, inspections }: Stores): LiftRegistryPort {
  return {
    get: (liftId) => r.get(liftId),
    getMany: (liftIds) => r.getMany(liftIds),
    put: (entries, actor) => r.put(entries, actor),
    list: (page) => r.list(page),
    byRegistrationCode: (codes) => r.byRegistrationCode(codes),
    inspections: { record: (entries, actor) => inspections.record(entries, actor), ofLift: (liftId) => inspections.ofLift(liftId), latest: (ids) => inspections.latest(ids), dueBefore: (date) => inspections.dueBefore(date) },
  };
}

/**
 * The platform's lift registry of the all-in-one, the only process that writes it: in the state
 * store, with each lift's area (what decides who sees it, read for every lift of every list), name
 * and address mirrored in memory; the rest of the profiles is read from the store.
 */
export async function cachedLiftRegistry(stores: Stores): Promise<CachedLiftRegistry> {
  const port = stateLiftRegistry(stores);
  const areas = new Map<string, LiftRegistryEntry>();
  const keep = (e: LiftProfile) => areas.set(e.liftId, { areaCode: e.areaCode, updatedAt: e.updatedAt, updatedBy: e.updatedBy, name: e.name, address: e.address });
  for (const e of await stores.liftRegistry.list()) keep(e);
  return {
    ...port,
    registered: (liftId) => areas.get(liftId),
    async put(list, actor) {
      const rows = await port.put(list, actor);
      for (const r of rows) keep(r);
      return rows;
    },
    inArea: (areaCode) => [...areas].filter(([, e]) => e.areaCode === areaCode).map(([id]) => id).sort(),
  };
}
