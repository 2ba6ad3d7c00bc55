import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { createTerminalRegistry, type TerminalRegistry } from '../src/terminal-registry.js';
import { parseTerminalsCsv } from '../src/terminals-csv.js';

let state: StateStore;
let reg: TerminalRegistry;
beforeEach(async () => {
  state = await openStateStore({ url: 'sqlite::memory:' });
  reg = createTerminalRegistry(state.terminals);
});
afterEach(() => state.close());

describe('terminal registry', () => {
  it('issues a token once and stores only a salted hash of it', async () => {
    const { terminal, token } = await reg.add({ liftId: 'L1' });
    expect(terminal).toMatchObject({ terminalId: 'T-L1', liftId: 'L1', role: 'terminal', enabled: true });
    expect(token).toMatch(/^lwt_[A-Za-z0-9_-]{32}$/);
    const row = await state.db.selectFrom('broker_terminals').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.token_hash.length).toBe(32);
    const other = await reg.add({ liftId: 'L2' });
    expect((await state.terminals.get('T-L2'))!.salt).not.toEqual(Buffer.from(row.salt));
    expect(other.token).not.toBe(token);
  });

  it('verifies the right token, refuses a wrong one, an unknown id and a disabled terminal', async () => {
    const { token } = await reg.add({ liftId: 'L1' });
    expect(await reg.verify('T-L1', token)).toEqual({ ok: true, principal: { id: 'T-L1', role: 'terminal', liftId: 'L1' } });
    expect(await reg.verify('T-L1', `${token}x`)).toEqual({ ok: false, reason: 'wrong token for terminal T-L1' });
    expect(await reg.verify('T-NOPE', token)).toMatchObject({ ok: false, reason: expect.stringContaining('not a registered terminal') });
    await reg.setEnabled('T-L1', false);
    expect(await reg.verify('T-L1', token)).toEqual({ ok: false, reason: 'terminal T-L1 is disabled' });
    await reg.setEnabled('T-L1', true);
    expect((await reg.verify('T-L1', token)).ok).toBe(true);
  });

  it('verifies against the stored hash after a restart (no cache)', async () => {
    const { token } = await reg.add({ liftId: 'L1' });
    const again = createTerminalRegistry(state.terminals);
    expect((await again.verify('T-L1', token)).ok).toBe(true);
    expect((await again.verify('T-L1', 'lwt_wrong')).ok).toBe(false);
  });

  it('a token rotated by another process (the CLI) stops working at once, despite the cache', async () => {
    const { token } = await reg.add({ liftId: 'L1' });
    expect((await reg.verify('T-L1', token)).ok).toBe(true); // now cached
    const cli = createTerminalRegistry(state.terminals);
    const fresh = await cli.rotate('T-L1');
    expect((await reg.verify('T-L1', token)).ok).toBe(false);
    expect((await reg.verify('T-L1', fresh.token)).ok).toBe(true);
    await cli.setEnabled('T-L1', false);
    expect((await reg.verify('T-L1', fresh.token)).ok).toBe(false);
  });

  it('rotating a token revokes the old one and tells the broker', async () => {
    const revoked: string[] = [];
    reg.onRevoke((id, why) => revoked.push(`${id} ${why}`));
    const old = await reg.add({ liftId: 'L1' });
    const fresh = await reg.rotate('T-L1');
    expect((await reg.verify('T-L1', old.token)).ok).toBe(false);
    expect((await reg.verify('T-L1', fresh.token)).ok).toBe(true);
    await reg.setEnabled('T-L1', false);
    expect(revoked).toEqual(['T-L1 rotated', 'T-L1 disabled']);
  });

  it('refuses a duplicate id, a bad lift id and unknown terminals with clear errors', async () => {
    await reg.add({ liftId: 'L1' });
    await expect(reg.add({ liftId: 'L1' })).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT', message: expect.stringContaining('T-L1 is already registered') });
    await expect(reg.add({ liftId: 'bad/lift' })).rejects.toMatchObject({ code: 'LW_ERR_REQUEST_INVALID' });
    await expect(reg.rotate('T-X')).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
    await expect(reg.setEnabled('T-X', false)).rejects.toThrow(/not registered/);
  });

  it('provisions a CSV all or none, with service accounts', async () => {
    const issued = await reg.addCsv('liftId,terminalId,role\nL1\nL2,T-L2-B\n\n# the ingest worker\n,svc-ingest,ingest\n');
    expect(issued.map((i) => i.terminal.terminalId)).toEqual(['T-L1', 'T-L2-B', 'svc-ingest']);
    expect(await reg.get('svc-ingest')).toMatchObject({ role: 'ingest', liftId: null });
    await expect(reg.addCsv('L3\nL1')).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT' });
    expect(await reg.get('T-L3')).toBeUndefined(); // nothing of the failed CSV was added
    expect((await reg.list({ liftId: 'L2' })).map((t) => t.terminalId)).toEqual(['T-L2-B']);
  });

  it('reads CSV lines and says which line is wrong', () => {
    expect(parseTerminalsCsv('L1,T-1\r\nL2')).toEqual([{ liftId: 'L1', terminalId: 'T-1', role: 'terminal' }, { liftId: 'L2', terminalId: undefined, role: 'terminal' }]);
    expect(() => parseTerminalsCsv('L1\nL2,T-2,admin')).toThrow('CSV line 2: role "admin" is unknown: use one of terminal, ingest, dashboards');
    expect(() => parseTerminalsCsv('\n# nothing\n')).toThrow(/names no terminals/);
  });
});
