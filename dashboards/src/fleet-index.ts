import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AlertView, LiftAssignment, LiftSummary } from '@liftwatch/contract';
import { scopeArea } from './auth/scope.js';
import type { CrewsPort, DashboardDeps, LiftFacts, LiftsSeen } from './deps.js';
import { readLiftFacts } from './lift-reads.js';

/**
 * What the district views need of a lift, kept in memory: the read model of the regulator console.
 * `areaCode` is the platform's (set by admins); `name` the registry's, else what the terminal reported.
 */
export interface FleetEntry { readonly liftId: string; areaCode: string | null; name: string | null; presence: LiftSummary['presence']; lastSeenAt: number; openAlerts: number }

/** Alerts the district views count: every active one, and every one opened in this window. */
export const ALERT_WINDOW_MS = 30 * 86_400_000;

export interface FleetIndexOptions {
  /** Changed lifts re-read in the request path at most; more wait for the background pass. @defaultValue 1000 */
  readonly maxSyncRefresh?: number;
  /** Period of the background pass that re-reads changed lifts, ms. @defaultValue 200 */
  readonly refreshMs?: number;
  /** How often every crew assignment is read again (assignments made on another node), ms. @defaultValue 30000 */
  readonly assignmentsRefreshMs?: number;
}

export interface FleetIndex {
  /**
   * Entries of one area (GB/T 2260 code), or all, in the order they entered the index (the area's
   * order: the order they entered it). The arrays are the index's own: read them, do not keep or
   * change them. Loads the index on first use; re-reads lifts changed since the last call.
   */
  entries(areaCode?: string): Promise<readonly FleetEntry[]>;
  /**
   * Changes whenever who-sees-which-lift may change: a lift joins the index or changes area, or a
   * crew assignment changes. A list of lifts in someone's scope can be reused while it stays the same.
   */
  version(): number;
  /** The entry of a lift, after `entries()` was awaited. */
  get(liftId: string): FleetEntry | undefined;
  /** Active alerts and those opened in the last `ALERT_WINDOW_MS`, from memory. */
  alerts(): Iterable<AlertView>;
  /**
   * The crew assignment of a lift, from memory: every assignment is read at once when the index
   * loads (and again every `assignmentsRefreshMs`, for those made on other nodes); assignments
   * through `watch(crews)` replace it at once. Await `assignmentsReady()` first.
   */
  assignment(liftId: string): LiftAssignment | undefined;
  /** Resolves when the assignments are in memory (read on first use). */
  assignmentsReady(): Promise<void>;
  /**
   * Lift → start of its latest visit among the `limit` latest visits. Kept in memory; each call reads
   * only the visits newer than those it has (visits never change their start and are never deleted).
   */
  lastVisits(limit: number): Promise<ReadonlyMap<string, number>>;
  /** The crews port, telling the index about assignments made through it. */
  watch(crews: CrewsPort): CrewsPort;
  /** Assignments made otherwise (the lift registry's units), known here at once. */
  assigned(list: readonly LiftAssignment[]): void;
  /** Starts loading now (at start-up), so the first user of the console does not wait for it. */
  warm(): void;
  /** When a crew was first on site for an alert (its audit), or null; cached until the alert changes. */
  onSiteAt(alertId: number): Promise<number | null>;
  close(): void;
}

const PAGE = 5000;
const ACTIVE = new Set(['open', 'acknowledged', 'onSite']);
/**
 * The presence as the one string of each value: the one read (from SQLite or JSON) is a new string
 * each time, and 150,000 entries would each keep their own copy of 'online' (3.4 MiB).
 */
const presenceOf = (p: LiftSummary['presence']): LiftSummary['presence'] => (p === 'online' ? 'online' : p === 'offline' ? 'offline' : p);

/**
 * The index's entries by lift id: those of lifts ingest has numbered (liftNumbers) in an array by that
 * number, the others (read from the store before this process met them, other nodes' lifts) in a Map:
 * a city's lifts first met by this process's ingest need no table of their own (7 MiB). A lift first
 * kept in the Map stays there.
 */
function createEntriesById(numbers: DashboardDeps['liftNumbers']) {
  const byNumber: Array<FleetEntry | undefined> = [];
  const others = new Map<string, FleetEntry>();
  return {
    get(liftId: string): FleetEntry | undefined {
      const n = numbers?.find(liftId);
      return (n === undefined ? undefined : byNumber[n]) ?? (others.size === 0 ? undefined : others.get(liftId));
    },
    has(liftId: string): boolean {
      return this.get(liftId) !== undefined;
    },
    set(liftId: string, e: FleetEntry): void {
      const n = numbers?.find(liftId);
      if (n === undefined || others.has(liftId)) {
        others.set(liftId, e);
        return;
      }
      // Filled up to n, not written past its end: an array with holes that far would become a dictionary.
      while (byNumber.length <= n) byNumber.push(undefined);
      byNumber[n] = e;
    },
  };
}

/**
 * A city has 150,000 lifts; reading and parsing them all for each request costs seconds, and so did
 * copying them, building id sets and re-reading the month's alerts per request. The index is loaded
 * once in pages (yielding to the event loop between pages, so the API stays responsive), then kept
 * current from the change feed: a changed lift is re-read at the next request (at most
 * `maxSyncRefresh` of them there; a background pass every `refreshMs` takes the rest, so under a
 * flood of changes a request sees them at most a few passes late); alert changes carry the alert,
 * which replaces the cached one at once. Entries are updated in place, so a request walks the
 * index's own arrays without copying them.
 */
export function createFleetIndex(deps: DashboardDeps, options: FleetIndexOptions = {}): FleetIndex {
  const maxSyncRefresh = options.maxSyncRefresh ?? 1000;
  const byId = createEntriesById(deps.liftNumbers);
  const all: FleetEntry[] = [];
  const byArea = new Map<string, FleetEntry[]>();
  const dirty = new Set<string>();
  const alerts = new Map<number, AlertView>();
  const assignments = new Map<string, LiftAssignment | null>();
  const onSite = new Map<number, number | null>();
  let loading: Promise<void> | undefined;
  let loaded = false;
  let closed = false;
  let version = 0;
  /** The latest visits, oldest first; per lift, the latest start among them and how many there are. */
  let latest: Array<{ id: number; liftId: string; startedAt: number }> = [];
  let latestLimit = 0;
  const lastVisit = new Map<string, number>();
  const visitCount = new Map<string, number>();
  const addVisit = (v: { liftId: string; startedAt: number }) => {
    lastVisit.set(v.liftId, Math.max(lastVisit.get(v.liftId) ?? 0, v.startedAt));
    visitCount.set(v.liftId, (visitCount.get(v.liftId) ?? 0) + 1);
  };
  const readVisits = async (limit: number) => {
    latest = ((await deps.crews?.visits(undefined, limit)) ?? []).reverse().map((v) => ({ id: v.id, liftId: v.liftId, startedAt: v.startedAt }));
    latestLimit = limit;
    lastVisit.clear();
    visitCount.clear();
    for (const v of latest) addVisit(v);
  };
  const NEW_VISITS_READ = 200;

  const keepAlert = (a: AlertView, now: number) => ACTIVE.has(a.state) || a.openedAt > now - ALERT_WINDOW_MS;
  /** Puts a lift's facts into the index; `liftId`: its id as the caller holds it, the string the entry keeps. */
  const put = (l: LiftFacts, liftId = l.liftId) => {
    const areaCode = scopeArea(l);
    let e = byId.get(liftId);
    if (!e) {
      e = { liftId, areaCode: null, name: null, presence: presenceOf(l.presence), lastSeenAt: l.lastSeenAt, openAlerts: l.openAlerts };
      byId.set(liftId, e);
      all.push(e);
      version++;
    } else if (e.areaCode !== null && e.areaCode !== areaCode) {
      // Moved to another area (set again by an admin): it leaves the old area's list and joins the end of the new one.
      const list = byArea.get(e.areaCode)!;
      list.splice(list.indexOf(e), 1);
    }
    if (e.areaCode !== areaCode) version++;
    if (areaCode !== null && e.areaCode !== areaCode) {
      let list = byArea.get(areaCode);
      if (!list) byArea.set(areaCode, (list = []));
      list.push(e);
    }
    e.areaCode = areaCode;
    // The registry's name first; what the terminal reports only when the registry has none.
    e.name = l.registered?.name ?? l.registry?.name ?? null;
    e.presence = presenceOf(l.presence);
    e.lastSeenAt = l.lastSeenAt;
    e.openAlerts = l.openAlerts;
  };
  /** Re-reads up to `max` changed lifts (in one read when the port has getMany: a shared store). */
  const refresh = async (max: number) => {
    const ids: string[] = [];
    for (const id of dirty) {
      if (ids.length >= max) break;
      ids.push(id);
    }
    if (ids.length === 0) return;
    for (const id of ids) dirty.delete(id);
    try {
      // The entries keep the ids asked with (those of the change feed, ingest's own strings), not the
      // copies each read makes: a city's 150,000 lift ids held once more would be 4.6 MiB.
      const asked = new Map(ids.map((id) => [id, id]));
      for (const l of await readLiftFacts(deps, ids)) put(l, asked.get(l.liftId));
    } catch (err) {
      for (const id of ids) dirty.add(id); // read again next time
      throw err;
    }
  };
  /** Lifts heard from: their entries take the last-seen time and presence at once; a lift not in the index yet is read. */
  const seen = (c: LiftsSeen) => {
    for (let i = 0; i < c.liftIds.length; i++) {
      const id = c.liftIds[i]!;
      const e = loaded ? byId.get(id) : undefined;
      if (!e) {
        dirty.add(id);
        continue;
      }
      if (c.lastSeenAt[i]! > e.lastSeenAt) e.lastSeenAt = c.lastSeenAt[i]!;
      const p = c.presence[i];
      if (p !== undefined) e.presence = presenceOf(p);
    }
  };
  /** Alerts changed while the list of alerts is being read: the change is newer than the list. */
  let changedWhileLoading: Set<number> | undefined;
  const unsubscribe = deps.changes.subscribe((c) => {
    if (c.kind === 'lifts') {
      for (const id of c.liftIds) dirty.add(id);
      return;
    }
    if (c.kind === 'liftsSeen') {
      seen(c);
      return;
    }
    if (c.kind !== 'alert') return;
    changedWhileLoading?.add(c.alert.id);
    dirty.add(c.alert.liftId);
    onSite.delete(c.alert.id);
    if (keepAlert(c.alert, Date.now())) alerts.set(c.alert.id, c.alert);
    else alerts.delete(c.alert.id);
  });
  const load = async () => {
    const now = Date.now();
    // A change that comes while the list is read is newer than the list: it stays.
    changedWhileLoading = new Set();
    try {
      for (const a of await deps.alerts.list({ limit: 1_000_000 })) {
        if (changedWhileLoading.has(a.id)) continue;
        if (keepAlert(a, now)) alerts.set(a.id, a);
        else alerts.delete(a.id);
      }
    } finally {
      changedWhileLoading = undefined;
    }
    await index.assignmentsReady();
    for (let offset = 0; ; offset += PAGE) {
      const page = await deps.lifts.list({ limit: PAGE, offset });
      for (const l of page) {
        // A lift changed while loading is re-read at the next request; the page may be older than that change.
        if (!byId.has(l.liftId)) put(l);
      }
      if (page.length < PAGE) break;
      await yieldToLoop();
      if (closed) return;
    }
    loaded = true;
  };
  // The background pass re-reads in slices, yielding between them, so a flood of changes does not stall the process.
  let draining = false;
  const drain = async () => {
    draining = true;
    try {
      while (dirty.size > 0) {
        await refresh(maxSyncRefresh);
        await yieldToLoop();
      }
    } catch {
      // The store failed (closing, or PostgreSQL away): the lifts stay dirty for the next pass.
    } finally {
      draining = false;
    }
  };
  const timer = setInterval(() => {
    if (loaded && !draining && dirty.size > 0) void drain();
  }, options.refreshMs ?? 200);
  timer.unref();

  /** Every assignment, read in one query; a change bumps the version (scopes are computed again). */
  let assignmentsLoading: Promise<void> | undefined;
  const readAssignments = async () => {
    const list = deps.crews ? await deps.crews.listLifts() : [];
    const seen = new Set<string>();
    let changed = false;
    for (const a of list) {
      seen.add(a.liftId);
      const old = assignments.get(a.liftId);
      if (!old || old.maintenanceUnit !== a.maintenanceUnit || old.useUnit !== a.useUnit || old.district !== a.district) changed = true;
      assignments.set(a.liftId, a);
    }
    for (const id of assignments.keys()) if (!seen.has(id)) { assignments.delete(id); changed = true; }
    if (changed) version++;
  };
  const assignmentsTimer = setInterval(() => {
    if (assignmentsLoading) void readAssignments().catch(() => {}); // the next pass tries again
  }, options.assignmentsRefreshMs ?? 30_000);
  assignmentsTimer.unref();
  const index: FleetIndex = {
    async entries(areaCode) {
      // A failed load (the store closing under it) is tried again by the next request.
      loading ??= load().catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      await loading;
      await refresh(maxSyncRefresh);
      if (areaCode === undefined) return all;
      return byArea.get(areaCode) ?? [];
    },
    version: () => version,
    get: (liftId) => byId.get(liftId),
    *alerts() {
      const now = Date.now();
      for (const [id, a] of alerts) {
        if (keepAlert(a, now)) yield a;
        else alerts.delete(id);
      }
    },
    assignment: (liftId) => assignments.get(liftId) ?? undefined,
    assignmentsReady() {
      // A failed read is tried again by the next caller.
      assignmentsLoading ??= readAssignments().catch((err: unknown) => {
        assignmentsLoading = undefined;
        throw err;
      });
      return assignmentsLoading;
    },
    async lastVisits(limit) {
      if (limit !== latestLimit) {
        await readVisits(limit);
        return lastVisit;
      }
      const newest = latest.at(-1)?.id ?? 0;
      const recent = (await deps.crews?.visits(undefined, NEW_VISITS_READ)) ?? [];
      const fresh = recent.filter((v) => v.id > newest);
      // More new visits than one read shows: read them all again.
      if (fresh.length === NEW_VISITS_READ) {
        await readVisits(limit);
        return lastVisit;
      }
      for (let i = fresh.length - 1; i >= 0; i--) {
        const v = fresh[i]!;
        latest.push({ id: v.id, liftId: v.liftId, startedAt: v.startedAt });
        addVisit(v);
      }
      // The oldest leave the window; a lift whose latest visit left gets the latest of those it has left.
      for (const gone of latest.length > limit ? latest.splice(0, latest.length - limit) : []) {
        const n = visitCount.get(gone.liftId)! - 1;
        if (n === 0) {
          visitCount.delete(gone.liftId);
          lastVisit.delete(gone.liftId);
          continue;
        }
        visitCount.set(gone.liftId, n);
        if (lastVisit.get(gone.liftId) === gone.startedAt) {
          let max = 0;
          for (const v of latest) if (v.liftId === gone.liftId && v.startedAt > max) max = v.startedAt;
          lastVisit.set(gone.liftId, max);
        }
      }
      return lastVisit;
    },
    watch: (crews) => ({
      ...crews,
      async assignLift(input) {
        const a = await crews.assignLift(input);
        assignments.set(a.liftId, a);
        version++;
        return a;
      },
    }),
    assigned(list) {
      for (const a of list) assignments.set(a.liftId, a);
      if (list.length > 0) version++;
    },
    async onSiteAt(alertId) {
      let at = onSite.get(alertId);
      if (at === undefined) {
        const entry = (await deps.alerts.get(alertId))?.audit.find((e) => e.action === 'onSite' || e.action.includes('onSite'));
        onSite.set(alertId, (at = entry ? entry.at : null));
      }
      return at;
    },
    warm() {
      index.entries().catch(() => {});
    },
    close() {
      closed = true;
      clearInterval(timer);
      clearInterval(assignmentsTimer);
      unsubscribe();
    },
  };
  return index;
}
