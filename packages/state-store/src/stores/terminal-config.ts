import { sql, type Selectable } from 'kysely';
import { configState, type TerminalCommand, type TerminalCommandView, type TerminalConfigView, type TerminalSettings } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { TerminalCommandsTable, TerminalConfigsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';

const CHUNK = 500;
const num = (v: number | null) => (v === null ? null : Number(v));

function toView(r: Selectable<TerminalConfigsTable>): TerminalConfigView {
  const view = {
    liftId: r.lift_id, desiredVersion: Number(r.desired_version), settings: JSON.parse(r.settings_json) as TerminalSettings,
    desiredAt: Number(r.desired_at), desiredBy: r.desired_by,
    ackedVersion: num(r.acked_version), ackedAt: num(r.acked_at),
    rejectedVersion: num(r.rejected_version), rejectedReason: r.rejected_reason, rejectedAt: num(r.rejected_at),
  };
  return { ...view, state: configState(view) };
}

const toCommand = (r: Selectable<TerminalCommandsTable>): TerminalCommandView => ({
  cmdId: r.cmd_id, liftId: r.lift_id, cmd: r.cmd as TerminalCommand, sentAt: Number(r.sent_at), sentBy: r.sent_by,
  resultAt: num(r.result_at), ok: r.ok === null ? null : r.ok === 1, detail: r.detail,
});

/**
 * Desired terminal configs with what each terminal reported, and the commands sent to terminals.
 * A new desired config gets a version above every version the terminal has seen from this table
 * (desired, acknowledged or refused), in one statement per lift, so two nodes pushing at once
 * give two versions; a report only moves the acknowledged or refused version forward.
 */
export function createTerminalConfigs({ db, write, dialect }: StateDb) {
  const greatest = dialect === 'postgres' ? 'GREATEST' : 'max';
  const nextVersion = sql<number>`${sql.raw(greatest)}(terminal_configs.desired_version, COALESCE(terminal_configs.acked_version, 0), COALESCE(terminal_configs.rejected_version, 0)) + 1`;

  return {
    /** Sets the desired config of these lifts; returns the version each got. */
    async desire(liftIds: readonly string[], settings: TerminalSettings, actor: string, now = Date.now()): Promise<Array<{ liftId: string; configVersion: number }>> {
      for (const liftId of liftIds) checkLiftId(liftId);
      const json = JSON.stringify(settings);
      return write(async (trx) => {
        const out: Array<{ liftId: string; configVersion: number }> = [];
        for (let i = 0; i < liftIds.length; i += CHUNK) {
          const rows = liftIds.slice(i, i + CHUNK).map((liftId) => ({ lift_id: liftId, desired_version: 1, settings_json: json, desired_at: now, desired_by: actor }));
          const done = await trx.insertInto('terminal_configs').values(rows)
            .onConflict((oc) => oc.column('lift_id').doUpdateSet((eb) => ({
              desired_version: nextVersion, settings_json: eb.ref('excluded.settings_json'), desired_at: eb.ref('excluded.desired_at'), desired_by: eb.ref('excluded.desired_by'),
            })))
            .returning(['lift_id', 'desired_version']).execute();
          for (const r of done) out.push({ liftId: r.lift_id, configVersion: Number(r.desired_version) });
        }
        return out;
      });
    },
    async get(liftId: string): Promise<TerminalConfigView | undefined> {
      const r = await db.selectFrom('terminal_configs').selectAll().where('lift_id', '=', liftId).executeTakeFirst();
      return r ? toView(r) : undefined;
    },
    /** Desired configs of these lifts (every lift's when absent), in lift id order. */
    async list(liftIds?: readonly string[]): Promise<TerminalConfigView[]> {
      if (liftIds && liftIds.length === 0) return [];
      const out: TerminalConfigView[] = [];
      const chunks = liftIds ? Array.from({ length: Math.ceil(liftIds.length / CHUNK) }, (_, i) => liftIds.slice(i * CHUNK, (i + 1) * CHUNK)) : [undefined];
      for (const ids of chunks) {
        let q = db.selectFrom('terminal_configs').selectAll();
        if (ids) q = q.where('lift_id', 'in', ids);
        out.push(...(await q.execute()).map(toView));
      }
      return out.sort((a, b) => (a.liftId < b.liftId ? -1 : a.liftId > b.liftId ? 1 : 0));
    },
    /** Terminals that have not acknowledged their desired version (pending or refused), the longest waiting first. */
    async unacknowledged(): Promise<TerminalConfigView[]> {
      const rows = await db.selectFrom('terminal_configs').selectAll()
        .where((e) => e.or([e('acked_version', 'is', null), e('acked_version', '<', e.ref('desired_version'))]))
        .orderBy('desired_at').orderBy('lift_id').execute();
      return rows.map(toView);
    },
    /** The terminal reported it applied `version`. False when that was known already. */
    async acknowledge(liftId: string, version: number, at: number): Promise<boolean> {
      checkTime(at, `acknowledgement of ${liftId}`);
      const r = await db.updateTable('terminal_configs').set({ acked_version: version, acked_at: at })
        .where('lift_id', '=', liftId).where((e) => e.or([e('acked_version', 'is', null), e('acked_version', '<', version)])).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** The terminal refused `version` for `reason`. False when that was known already. */
    async reject(liftId: string, version: number, reason: string, at: number): Promise<boolean> {
      checkTime(at, `refusal of ${liftId}`);
      const r = await db.updateTable('terminal_configs').set({ rejected_version: version, rejected_reason: reason.slice(0, 500), rejected_at: at })
        .where('lift_id', '=', liftId).where((e) => e.or([e('rejected_version', 'is', null), e('rejected_version', '<', version)])).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Records commands as sent (one row per lift). */
    async commandsSent(cmds: ReadonlyArray<{ cmdId: string; liftId: string; cmd: TerminalCommand }>, actor: string, now = Date.now()): Promise<void> {
      if (cmds.length === 0) return;
      await write(async (trx) => {
        for (let i = 0; i < cmds.length; i += CHUNK) {
          await trx.insertInto('terminal_commands').values(cmds.slice(i, i + CHUNK).map((c) => ({ cmd_id: c.cmdId, lift_id: c.liftId, cmd: c.cmd, sent_at: now, sent_by: actor }))).execute();
        }
      });
    },
    /**
     * Records a command that only one node may send (its id is the same on every node): true when this
     * call recorded it, false when another did first.
     */
    async claimCommand(c: { cmdId: string; liftId: string; cmd: TerminalCommand }, actor: string, now = Date.now()): Promise<boolean> {
      const r = await db.insertInto('terminal_commands').values({ cmd_id: c.cmdId, lift_id: c.liftId, cmd: c.cmd, sent_at: now, sent_by: actor })
        .onConflict((oc) => oc.column('cmd_id').doNothing()).returning('cmd_id').executeTakeFirst();
      return r !== undefined;
    },
    /** When each lift was last sent this command. */
    async lastSent(cmd: TerminalCommand): Promise<Map<string, number>> {
      const rows = await db.selectFrom('terminal_commands').select(['lift_id', (e) => e.fn.max<number>('sent_at').as('at')]).where('cmd', '=', cmd).groupBy('lift_id').execute();
      return new Map(rows.map((r) => [r.lift_id, Number(r.at)]));
    },
    /** The terminal of `liftId` reported the result of `cmdId`; the first report counts. False for an unknown or answered command. */
    async commandResult(liftId: string, cmdId: string, ok: boolean, detail: string, at: number): Promise<boolean> {
      const r = await db.updateTable('terminal_commands').set({ result_at: at, ok: ok ? 1 : 0, detail: detail.slice(0, 500) })
        .where('cmd_id', '=', cmdId).where('lift_id', '=', liftId).where('result_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** The newest commands, of one lift or of all. */
    async commands(opts: { liftId?: string; limit: number }): Promise<TerminalCommandView[]> {
      let q = db.selectFrom('terminal_commands').selectAll();
      if (opts.liftId !== undefined) q = q.where('lift_id', '=', opts.liftId);
      return (await q.orderBy('sent_at', 'desc').orderBy('cmd_id', 'desc').limit(opts.limit).execute()).map(toCommand);
    },
  };
}
export type TerminalConfigs = ReturnType<typeof createTerminalConfigs>;
