import type { Selectable } from 'kysely';
import { lwError, type RescueStage } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { RescueCallsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';

export interface RescueCallRecord {
  id: number; line: string; externalId: string | null; liftId: string; alertId: number | null; receivedAt: number;
  callerName: string | null; callerPhone: string | null; rescueCode: string | null; note: string;
  /** Stage times reported for this call (null: not reported here; the alert's transitions may give them). */
  dispatchedAt: number | null; onSiteAt: number | null; releasedAt: number | null; falseAlarmAt: number | null;
  createdAt: number; createdBy: string;
}
export interface RescueCallWrite {
  line: string; externalId: string | null; liftId: string; receivedAt: number;
  callerName: string | null; callerPhone: string | null; rescueCode: string | null; note: string;
}

const toCall = (r: Selectable<RescueCallsTable>): RescueCallRecord => ({
  id: Number(r.id), line: r.line, externalId: r.external_id, liftId: r.lift_id, alertId: r.alert_id === null ? null : Number(r.alert_id), receivedAt: Number(r.received_at),
  callerName: r.caller_name, callerPhone: r.caller_phone, rescueCode: r.rescue_code, note: r.note,
  dispatchedAt: num(r.dispatched_at), onSiteAt: num(r.on_site_at), releasedAt: num(r.released_at), falseAlarmAt: num(r.false_alarm_at),
  createdAt: Number(r.created_at), createdBy: r.created_by,
});
const num = (v: number | null) => (v === null ? null : Number(v));

const STAGE_COLUMN: Readonly<Record<RescueStage, 'dispatched_at' | 'on_site_at' | 'released_at' | 'false_alarm_at'>> = {
  dispatched: 'dispatched_at', onSite: 'on_site_at', released: 'released_at', falseAlarm: 'false_alarm_at',
};

/**
 * Calls handed over by a rescue line (96333). A call with the line's own id is stored once: the same
 * id sent again (a resend after a timeout) finds the first. Its alert is attached after it is stored,
 * so a crash in between leaves a call without one, which the resend completes.
 */
export function createRescueCalls({ db }: StateDb) {
  const get = async (id: number): Promise<RescueCallRecord | undefined> => {
    const r = await db.selectFrom('rescue_calls').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toCall(r) : undefined;
  };

  return {
    get,
    /** Stores the call, or finds the one with the same line and external id; `created` says which. */
    async add(call: RescueCallWrite, at: number, actor: string): Promise<{ call: RescueCallRecord; created: boolean }> {
      checkLiftId(call.liftId);
      checkTime(call.receivedAt, `rescue call on ${call.liftId}: receivedAt`);
      const inserted = await db.insertInto('rescue_calls').values({
        line: call.line, external_id: call.externalId, lift_id: call.liftId, received_at: call.receivedAt, caller_name: call.callerName, caller_phone: call.callerPhone,
        rescue_code: call.rescueCode, note: call.note, created_at: at, created_by: actor,
      }).onConflict((oc) => oc.columns(['line', 'external_id']).doNothing()).returningAll().executeTakeFirst();
      if (inserted) return { call: toCall(inserted), created: true };
      const first = await db.selectFrom('rescue_calls').selectAll().where('line', '=', call.line).where('external_id', '=', call.externalId).executeTakeFirstOrThrow();
      if (first.lift_id !== call.liftId) {
        throw lwError('LW_ERR_CONFLICT', `call ${call.externalId} of line ${call.line} was first received for lift ${first.lift_id}, not ${call.liftId}: give the call a new id, or send the first lift again`);
      }
      return { call: toCall(first), created: false };
    },
    async attach(id: number, alertId: number): Promise<void> {
      await db.updateTable('rescue_calls').set({ alert_id: alertId }).where('id', '=', id).execute();
    },
    /** Records when a stage was reached for this call (a later report of the same stage corrects it). */
    async setStage(id: number, stage: RescueStage, at: number): Promise<RescueCallRecord> {
      checkTime(at, `rescue call ${id}: ${stage} time`);
      const r = await db.updateTable('rescue_calls').set({ [STAGE_COLUMN[stage]]: at }).where('id', '=', id).returningAll().executeTakeFirst();
      if (!r) throw lwError('LW_ERR_NOT_FOUND', `rescue call ${id} does not exist`);
      return toCall(r);
    },
    /** The calls attached to these alerts. */
    async ofAlerts(alertIds: readonly number[]): Promise<RescueCallRecord[]> {
      if (alertIds.length === 0) return [];
      return (await db.selectFrom('rescue_calls').selectAll().where('alert_id', 'in', [...alertIds]).orderBy('id').execute()).map(toCall);
    },
    /** Calls received in [from, to), newest first; of one lift when given. */
    async list(filter: { liftId?: string; from?: number; to?: number; limit: number }): Promise<RescueCallRecord[]> {
      let q = db.selectFrom('rescue_calls').selectAll();
      if (filter.liftId) q = q.where('lift_id', '=', filter.liftId);
      if (filter.from !== undefined) q = q.where('received_at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('received_at', '<', filter.to);
      return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(toCall);
    },
  };
}
export type RescueCalls = ReturnType<typeof createRescueCalls>;
