import { sql } from 'kysely';
import type { AlertState } from '@liftwatch/contract';
import type { StateDb } from '../open.js';

/** A lift as the regulator's statistics count it: since when the platform knows it, where it is, whose it is. */
export interface StatLiftRow {
  liftId: string;
  /** When the platform first knew the lift (its terminal's first record, or its registry entry): it counts from that month on. */
  since: number;
  /** In the platform's registry, set by admins; null: none. */
  areaCode: string | null;
  district: string | null; maintenanceUnit: string | null; useUnit: string | null;
  /** Server time of its terminal's last record; null: no terminal has sent anything. */
  lastSeenAt: number | null;
}
/** An alert with the times of its stages, the rescue-line calls on it and the crew's finding. */
export interface StatAlertRow {
  id: number; liftId: string; code: string; severity: string; state: AlertState; openedAt: number;
  acknowledgedAt: number | null; onSiteAt: number | null; resolvedAt: number | null;
  /** The first call a rescue line handed over for it, and the stages the calls reported. */
  call: { receivedAt: number; dispatchedAt: number | null; onSiteAt: number | null; releasedAt: number | null; falseAlarm: boolean } | null;
  /** What the crew found: confirmed, no-fault-found or false-alarm; null: no finding. */
  finding: string | null;
}

const CHUNK = 500;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * What the regulator's statistics read: every lift with its area and assignment, and the alerts
 * opened in a period with their stages, calls and findings. The figures are computed from these
 * (dashboards/src/statistics), so the same rows always give the same figures.
 */
export function createStatistics({ db }: StateDb) {
  let findingsTable: boolean | undefined;
  /** Crews' findings (the alert_findings table) where it exists. */
  async function findings(ids: readonly number[]): Promise<Map<number, string>> {
    findingsTable ??= (await db.introspection.getTables()).some((t) => t.name === 'alert_findings');
    const out = new Map<number, string>();
    if (!findingsTable) return out;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = await sql<{ alert_id: number; outcome: string }>`SELECT alert_id, outcome FROM alert_findings WHERE alert_id IN (${sql.join(part)})`.execute(db);
      for (const r of rows.rows) out.set(Number(r.alert_id), r.outcome);
    }
    return out;
  }

  return {
    async lifts(): Promise<StatLiftRow[]> {
      const [seen, registered, assigned] = await Promise.all([
        db.selectFrom('lifts').select(['lift_id', 'first_seen_rx', 'last_seen_rx']).execute(),
        db.selectFrom('lift_registry').select(['lift_id', 'area_code', 'updated_at']).execute(),
        db.selectFrom('crew_lifts').selectAll().execute(),
      ]);
      const byId = new Map<string, StatLiftRow>();
      const row = (liftId: string) => byId.get(liftId) ?? byId.set(liftId, { liftId, since: Number.MAX_SAFE_INTEGER, areaCode: null, district: null, maintenanceUnit: null, useUnit: null, lastSeenAt: null }).get(liftId)!;
      for (const l of seen) Object.assign(row(l.lift_id), { since: Number(l.first_seen_rx), lastSeenAt: Number(l.last_seen_rx) });
      for (const r of registered) {
        const l = row(r.lift_id);
        l.areaCode = r.area_code;
        l.since = Math.min(l.since, Number(r.updated_at));
      }
      for (const a of assigned) if (byId.has(a.lift_id)) Object.assign(row(a.lift_id), { district: a.district, maintenanceUnit: a.maintenance_unit, useUnit: a.use_unit });
      return [...byId.values()].sort((a, b) => (a.liftId < b.liftId ? -1 : 1));
    },

    /** Alerts opened in [from, to) whose code is one of `codes`, oldest first. */
    async alerts(from: number, to: number, codes: readonly string[]): Promise<StatAlertRow[]> {
      if (codes.length === 0) return [];
      const alerts = await db.selectFrom('alerts').select(['id', 'lift_id', 'code', 'severity', 'state', 'opened_at'])
        .where('opened_at', '>=', from).where('opened_at', '<', to).where('code', 'in', [...codes]).orderBy('opened_at').orderBy('id').execute();
      const ids = alerts.map((a) => Number(a.id));
      const stages = new Map<number, Record<string, number>>();
      const calls = new Map<number, NonNullable<StatAlertRow['call']>>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const part = ids.slice(i, i + CHUNK);
        const lines = await db.selectFrom('alert_audit').select(['alert_id', 'action', (e) => e.fn.min<number>('at').as('at')])
          .where('alert_id', 'in', part).where('action', 'in', ['acknowledged', 'onSite', 'resolved']).groupBy(['alert_id', 'action']).execute();
        for (const l of lines) stages.set(Number(l.alert_id), { ...stages.get(Number(l.alert_id)), [l.action]: Number(l.at) });
        const rows = await db.selectFrom('rescue_calls').select((e) => [
          'alert_id', e.fn.min<number>('received_at').as('received'), e.fn.min<number>('dispatched_at').as('dispatched'), e.fn.min<number>('on_site_at').as('on_site'),
          e.fn.min<number>('released_at').as('released'), e.fn.max<number>('false_alarm_at').as('false_alarm'),
        ]).where('alert_id', 'in', part).groupBy('alert_id').execute();
        for (const c of rows) calls.set(Number(c.alert_id), { receivedAt: Number(c.received), dispatchedAt: num(c.dispatched), onSiteAt: num(c.on_site), releasedAt: num(c.released), falseAlarm: c.false_alarm !== null });
      }
      const found = await findings(ids);
      return alerts.map((a) => {
        const id = Number(a.id);
        const s = stages.get(id) ?? {};
        return {
          id, liftId: a.lift_id, code: a.code, severity: a.severity, state: a.state as AlertState, openedAt: Number(a.opened_at),
          acknowledgedAt: s['acknowledged'] ?? null, onSiteAt: s['onSite'] ?? null, resolvedAt: s['resolved'] ?? null,
          call: calls.get(id) ?? null, finding: found.get(id) ?? null,
        };
      });
    },

    /** The start of the latest maintenance visit of each lift that had one. */
    async lastVisits(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('maintenance_visits').select(['lift_id', (e) => e.fn.max<number>('started_at').as('at')]).groupBy('lift_id').execute();
      return new Map(rows.map((r) => [r.lift_id, Number(r.at)]));
    },
  };
}
export type Statistics = ReturnType<typeof createStatistics>;
