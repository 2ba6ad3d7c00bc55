import type { AlertState, Severity } from '@liftwatch/contract';
import type { StateDb } from '../open.js';

/** An alert's audit line with its alert, as the outbox's feed reads them. */
export interface AlertAuditLine {
  auditId: number; alertId: number; action: string; at: number; actor: string; note: string;
  liftId: string; code: string; severity: Severity; state: AlertState; openedAt: number; reason: string;
}
/** A lift's registry entry with its crew assignment, as the outbox's feed reads them. */
export interface RegistryLine {
  liftId: string; areaCode: string | null; updatedAt: number; maintenanceUnit: string | null; useUnit: string | null;
  registrationCode: string | null; address: string | null; latitude: number | null; longitude: number | null;
  liftType: string | null; ratedSpeedMps: number | null; ratedLoadKg: number | null; floors: number | null; installDate: string | null;
}
export interface VisitLine { id: number; liftId: string; technician: string; source: string; startedAt: number; endsBy: number; endedAt: number | null }

/**
 * What the outbox of the government exchange is fed from, read in order after a position: the
 * append-only alert audit (every opening, transition, rescue-line call and stage), the registry by
 * the time an admin changed it, maintenance visits by id.
 */
export function createExchangeSources({ db }: StateDb) {
  return {
    /** Audit lines with an id above `afterId`, in id order. */
    async auditAfter(afterId: number, limit: number): Promise<AlertAuditLine[]> {
      const rows = await db.selectFrom('alert_audit as u').innerJoin('alerts as a', 'a.id', 'u.alert_id')
        .select(['u.id as audit_id', 'u.alert_id', 'u.action', 'u.at', 'u.actor', 'u.note', 'a.lift_id', 'a.code', 'a.severity', 'a.state', 'a.opened_at', 'a.reason'])
        .where('u.id', '>', afterId).orderBy('u.id').limit(limit).execute();
      return rows.map((r) => ({
        auditId: Number(r.audit_id), alertId: Number(r.alert_id), action: r.action, at: Number(r.at), actor: r.actor, note: r.note,
        liftId: r.lift_id, code: r.code, severity: r.severity as Severity, state: r.state as AlertState, openedAt: Number(r.opened_at), reason: r.reason,
      }));
    },
    /** The highest audit id so far (0: none): where a feed that starts now begins. */
    async lastAuditId(): Promise<number> {
      const r = await db.selectFrom('alert_audit').select((e) => e.fn.max<number>('id').as('id')).executeTakeFirst();
      return Number(r?.id ?? 0);
    },
    /** Every audit line of one alert, in order: the times of a rescue's stages. */
    async auditOf(alertId: number): Promise<Array<{ auditId: number; action: string; at: number; actor: string; note: string }>> {
      const rows = await db.selectFrom('alert_audit').select(['id', 'action', 'at', 'actor', 'note']).where('alert_id', '=', alertId).orderBy('id').execute();
      return rows.map((r) => ({ auditId: Number(r.id), action: r.action, at: Number(r.at), actor: r.actor, note: r.note }));
    },
    /** Registry entries changed after (`at`, `liftId`), in the order of (time of the change, lift id): pages of one bulk import that share a time. */
    async registryChangedAfter(after: { at: number; liftId: string }, limit: number): Promise<RegistryLine[]> {
      const rows = await db.selectFrom('lift_registry as r').leftJoin('crew_lifts as c', 'c.lift_id', 'r.lift_id')
        .select(['r.lift_id', 'r.area_code', 'r.updated_at', 'c.maintenance_unit', 'c.use_unit', 'r.registration_code', 'r.address', 'r.latitude', 'r.longitude',
          'r.lift_type', 'r.rated_speed_mps', 'r.rated_load_kg', 'r.floors', 'r.install_date'])
        .where((e) => e.or([e('r.updated_at', '>', after.at), e.and([e('r.updated_at', '=', after.at), e('r.lift_id', '>', after.liftId)])]))
        .orderBy('r.updated_at').orderBy('r.lift_id').limit(limit).execute();
      const num = (x: number | string | null) => (x === null ? null : Number(x));
      return rows.map((r) => ({
        liftId: r.lift_id, areaCode: r.area_code, updatedAt: Number(r.updated_at), maintenanceUnit: r.maintenance_unit, useUnit: r.use_unit,
        registrationCode: r.registration_code, address: r.address, latitude: num(r.latitude), longitude: num(r.longitude), liftType: r.lift_type,
        ratedSpeedMps: num(r.rated_speed_mps), ratedLoadKg: num(r.rated_load_kg), floors: num(r.floors), installDate: r.install_date,
      }));
    },
    /** The highest visit id so far (0: none): where a feed that starts now begins. */
    async lastVisitId(): Promise<number> {
      const r = await db.selectFrom('maintenance_visits').select((e) => e.fn.max<number>('id').as('id')).executeTakeFirst();
      return Number(r?.id ?? 0);
    },
    /**
     * Visits from id `fromId` on, in id order, ended or not: a visit past its time limit may be ended
     * (at its limit) only when its lift is next looked at, so a feed follows visits by id, not by end.
     */
    async visitsFrom(fromId: number, limit: number): Promise<VisitLine[]> {
      const rows = await db.selectFrom('maintenance_visits').select(['id', 'lift_id', 'technician', 'source', 'started_at', 'ends_by', 'ended_at'])
        .where('id', '>=', fromId).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({
        id: Number(r.id), liftId: r.lift_id, technician: r.technician, source: r.source, startedAt: Number(r.started_at), endsBy: Number(r.ends_by), endedAt: r.ended_at === null ? null : Number(r.ended_at),
      }));
    },
  };
}
export type ExchangeSources = ReturnType<typeof createExchangeSources>;
