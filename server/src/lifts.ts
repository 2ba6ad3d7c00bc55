import type { LiftSummary, RecordStream } from '@liftwatch/contract';
import type { DashboardDeps, LiftFacts } from '@liftwatch/dashboards';
import type { Ingest, TelemetryStore } from '@liftwatch/ingest';
import type { LiftRecord, StateStore } from '@liftwatch/state-store';
import type { CachedLiftRegistry } from './lift-registry.js';

type Awaitable<T> = T | Promise<T>;

/** Where the lift list is read, each lift with its open alerts. */
export interface LiftSource {
  list(opts: { limit: number; offset: number }, openAlerts: ReadonlyMap<string, number>): Awaitable<LiftSummary[]>;
  get(liftId: string, openAlerts: ReadonlyMap<string, number>): Awaitable<LiftSummary | undefined>;
  getMany?(liftIds: readonly string[], openAlerts: ReadonlyMap<string, number>): Awaitable<LiftSummary[]>;
  /** As getMany, without the latest status. */
  getFacts?(liftIds: readonly string[], openAlerts: ReadonlyMap<string, number>): Awaitable<LiftFacts[]>;
  count(): Awaitable<number>;
  /** Lift ids the platform's registry puts in this GB/T 2260 area. */
  inArea(areaCode: string): Awaitable<string[]>;
}

/**
 * The dashboards' lifts: from a source, each with its open alerts (kept by alerting) and its stored
 * records (the telemetry store).
 */
export function createLiftsPort(source: LiftSource, openAlerts: () => ReadonlyMap<string, number>, records: TelemetryStore): DashboardDeps['lifts'] {
  const { getMany, getFacts } = source;
  return {
    list: (opts) => source.list(opts, openAlerts()),
    get: (liftId) => source.get(liftId, openAlerts()),
    ...(getMany ? { getMany: (liftIds: readonly string[]) => getMany(liftIds, openAlerts()) } : {}),
    ...(getFacts ? { getFacts: (liftIds: readonly string[]) => getFacts(liftIds, openAlerts()) } : {}),
    count: () => source.count(),
    inArea: (areaCode) => source.inArea(areaCode),
    records: async (liftId, opts) => (await records.recent(liftId, { stream: opts.stream as RecordStream | undefined, limit: opts.limit }))
      .map((r) => ({ stream: r.stream, seq: r.seq, ts: r.ts, receivedAt: r.rx, record: r.record })),
  };
}

/**
 * The lifts of this node's ingest (the all-in-one): its summaries with the changes not yet written
 * to their rows, and each lift's entry of the platform's registry, kept in memory.
 */
export function ingestLiftSource(lifts: Ingest['lifts'], registry: CachedLiftRegistry): LiftSource {
  const withRegistered = <L extends LiftFacts>(l: L): L => Object.assign(l, { registered: registry.registered(l.liftId) ?? null });
  // ingest only reads the counts.
  const counts = (openAlerts: ReadonlyMap<string, number>) => openAlerts as Map<string, number>;
  return {
    list: (opts, openAlerts) => lifts.list(opts, counts(openAlerts)).map(withRegistered),
    get: (liftId, openAlerts) => {
      const lift = lifts.get(liftId, openAlerts.get(liftId) ?? 0);
      return lift && withRegistered(lift);
    },
    getMany: (liftIds, openAlerts) => lifts.getMany(liftIds, openAlerts).map(withRegistered),
    getFacts: (liftIds, openAlerts) => lifts.getFacts(liftIds, openAlerts).map(withRegistered),
    count: () => lifts.count(),
    inArea: (areaCode) => registry.inArea(areaCode),
  };
}

/** Every node's lifts, from the state store's shared table (each ingest node writes its own there). */
export function stateLiftSource(state: Pick<StateStore, 'lifts' | 'liftRegistry'>): LiftSource {
  return {
    list: async (opts, openAlerts) => (await state.lifts.list(opts)).map((l) => summaryOf(l, openAlerts)),
    get: async (liftId, openAlerts) => {
      const l = await state.lifts.get(liftId);
      return l ? summaryOf(l, openAlerts) : undefined;
    },
    getMany: async (liftIds, openAlerts) => (await state.lifts.getMany(liftIds)).map((l) => summaryOf(l, openAlerts)),
    count: () => state.lifts.count(),
    inArea: (areaCode) => state.liftRegistry.inArea(areaCode),
  };
}

/** A lift of the shared table as the console shows it. */
function summaryOf(l: LiftRecord, openAlerts: ReadonlyMap<string, number>): LiftSummary {
  return {
    liftId: l.liftId, firstSeenAt: l.firstSeenAt, lastSeenAt: l.lastSeenAt, presence: l.presence, recordsTotal: l.recordsTotal, openAlerts: openAlerts.get(l.liftId) ?? 0,
    status: l.status as LiftSummary['status'], registry: l.registry as LiftSummary['registry'], registered: l.registered,
  };
}
