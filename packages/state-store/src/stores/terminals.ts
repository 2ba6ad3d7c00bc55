import { lwError, type TerminalRole } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { TerminalsTable } from '../tables.js';
import { checkLiftId, isUniqueViolation } from '../check.js';

/** A terminal or service account as stored: the token only as a salted hash made by the broker. */
export interface TerminalRow {
  terminalId: string; liftId: string | null; role: TerminalRole; salt: Buffer; tokenHash: Buffer; enabled: boolean; createdAt: number; rotatedAt: number;
}
export type NewTerminalRow = Omit<TerminalRow, 'enabled' | 'createdAt' | 'rotatedAt'>;

const ROLES: readonly string[] = ['terminal', 'ingest', 'dashboards'];
const toRow = (r: TerminalsTable): TerminalRow => ({
  terminalId: r.terminal_id, liftId: r.lift_id, role: r.role as TerminalRole, salt: Buffer.from(r.salt), tokenHash: Buffer.from(r.token_hash),
  enabled: r.enabled === 1, createdAt: r.created_at, rotatedAt: r.rotated_at,
});

/** The broker's registry of terminals and service accounts (broker/README.md#who-may-do-what), shared by every broker node. */
export function createTerminals({ db, write }: StateDb) {
  const get = async (terminalId: string): Promise<TerminalRow | undefined> => {
    const r = await db.selectFrom('broker_terminals').selectAll().where('terminal_id', '=', terminalId).executeTakeFirst();
    return r ? toRow(r) : undefined;
  };
  return {
    get,
    async list(filter: { liftId?: string } = {}): Promise<TerminalRow[]> {
      let q = db.selectFrom('broker_terminals').selectAll().orderBy('terminal_id');
      if (filter.liftId) q = q.where('lift_id', '=', filter.liftId);
      return (await q.execute()).map(toRow);
    },
    /** Adds all or none, in one transaction; an id already registered (or twice in the list) is LW_ERR_CONFLICT. */
    async insertMany(rows: readonly NewTerminalRow[], now = Date.now()): Promise<void> {
      for (const r of rows) {
        checkLiftId(r.terminalId, 'terminal id');
        if (!ROLES.includes(r.role)) throw lwError('LW_ERR_REQUEST_INVALID', `terminal ${r.terminalId}: role ${JSON.stringify(r.role)} is not one of ${ROLES.join(', ')}`);
        if (r.role === 'terminal') checkLiftId(r.liftId ?? '', `terminal ${r.terminalId}: lift id`);
      }
      if (rows.length === 0) return;
      const ids = rows.map((r) => r.terminalId);
      const twice = ids.find((id, i) => ids.indexOf(id) !== i);
      if (twice) throw lwError('LW_ERR_CONFLICT', `terminal ${twice} is twice in the list: give each terminal its own id`);
      const conflict = (taken: string, err?: unknown) => lwError('LW_ERR_CONFLICT', `terminal ${taken} is already registered: rotate its token instead, or choose another terminal id`, err);
      let taken: string | undefined;
      try {
        // Ids taken are looked for first, so that the transaction ends without an error (see StateDb.write).
        taken = await write(async (trx) => {
          for (let i = 0; i < ids.length; i += 500) {
            const found = await trx.selectFrom('broker_terminals').select('terminal_id').where('terminal_id', 'in', ids.slice(i, i + 500)).executeTakeFirst();
            if (found) return found.terminal_id;
          }
          for (let i = 0; i < rows.length; i += 500) {
            await trx.insertInto('broker_terminals').values(rows.slice(i, i + 500).map((r) => ({
              terminal_id: r.terminalId, lift_id: r.liftId, role: r.role, salt: r.salt, token_hash: r.tokenHash, enabled: 1, created_at: now, rotated_at: now,
            }))).execute();
          }
          return undefined;
        });
      } catch (err) {
        // Another node registered one of them between the look and the insert.
        if (!isUniqueViolation(err)) throw err;
        throw conflict((await db.selectFrom('broker_terminals').select('terminal_id').where('terminal_id', 'in', ids).executeTakeFirst())?.terminal_id ?? ids[0]!, err);
      }
      if (taken !== undefined) throw conflict(taken);
    },
    /** Stores a new salt and hash; false when the terminal is not registered. */
    async rotate(terminalId: string, salt: Buffer, tokenHash: Buffer, now = Date.now()): Promise<boolean> {
      const r = await db.updateTable('broker_terminals').set({ salt, token_hash: tokenHash, rotated_at: now }).where('terminal_id', '=', terminalId).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async setEnabled(terminalId: string, enabled: boolean): Promise<boolean> {
      const r = await db.updateTable('broker_terminals').set({ enabled: enabled ? 1 : 0 }).where('terminal_id', '=', terminalId).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  };
}
