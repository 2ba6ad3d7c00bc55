import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, openStateStore, type StateStore } from '../src/index.js';
import { deadLetterCases } from './dead-letters-contract.js';
import { findingCases } from './findings-contract.js';
import { registryCases } from './registry-contract.js';
import { exchangeCases } from './exchange-contract.js';
import { hazardCases } from './hazards-contract.js';
import { terminalConfigCases } from './terminal-config-contract.js';

/**
 * The one contract suite of the state store (docs/conventions.md#8-ports-and-their-contract-suites): every adapter runs it. `url` is a database
 * of its own; each call of openStateStore on it is another connection (another node).
 */
export function stateStoreContract(name: string, url: () => Promise<string>): void {
  describe(`state store contract: ${name}`, () => {
    let a: StateStore;
    let b: StateStore;
    let target: string;
    beforeAll(async () => {
      target = await url();
      a = await openStateStore({ url: target });
      b = await openStateStore({ url: target });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });
    const ev = (liftId: string, seq: number) => ({ liftId, stream: 'fault', seq, ts: 1_000 + seq, values: { code: 'DOOR_OPEN_TIMEOUT' } });

    it('runs its migrations once: a second run, and a second node starting, change nothing and keep the data', async () => {
      await a.lifts.putRegistry('MIG-1', { areaCode: '330106' }, 1);
      expect(await migrateToLatest(a.db as never, a.dialect)).toEqual([]);
      const c = await openStateStore({ url: target });
      try {
        expect(await c.lifts.get('MIG-1')).toMatchObject({ registry: { areaCode: '330106' } });
        const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(c.db);
        expect(rows.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_alerting_shared', '0003_health_caps', '0004_passwords_lift_registry', '0005_status_seq', '0006_all_in_one_adopted', '0007_dead_letters', '0008_findings', '0009_registry_maintenance', '0010_exchange', '0011_languages', '0012_hazards', '0013_terminal_config']);
      } finally {
        await c.close();
      }
    });

    it('lifts: the newest registry and status win whatever the order; districts find their lifts by the platform\'s registry only', async () => {
      await a.lifts.putRegistry('L-REG', { areaCode: '330106', ratedSpeedMps: 1.75 }, 2_000, 10);
      await b.lifts.putRegistry('L-REG', { areaCode: '999999', ratedSpeedMps: 1 }, 1_000, 11); // older: ignored
      await a.lifts.putStatus('L-REG', { mode: 'normal' }, 5_000, 12);
      await a.lifts.setPresence('L-REG', 'online', 13);
      expect(await b.lifts.get('L-REG')).toMatchObject({ registry: { areaCode: '330106' }, registered: null, status: { mode: 'normal' }, presence: 'online', recordsTotal: 3, lastSeenAt: 12 });
      expect(await b.lifts.inArea('330106')).not.toContain('L-REG'); // what the terminal reports decides nothing
      await a.liftRegistry.put([{ liftId: 'L-REG', areaCode: '330108' }], 'admin', 20);
      expect(await b.lifts.get('L-REG')).toMatchObject({ registry: { areaCode: '330106' }, registered: { areaCode: '330108', updatedAt: 20, updatedBy: 'admin' } });
      expect(await b.lifts.getMany(['L-REG'])).toMatchObject([{ registered: { areaCode: '330108' } }]);
      expect(await b.lifts.inArea('330108')).toEqual(['L-REG']);
      expect(await b.lifts.inArea('330106')).not.toContain('L-REG');
      expect(await b.lifts.changedSince(15)).toContain('L-REG'); // nodes without Redis hear of the new area
      expect(await b.liftRegistry.get('L-REG')).toMatchObject({ liftId: 'L-REG', areaCode: '330108', updatedAt: 20, updatedBy: 'admin' });
      await expect(a.liftRegistry.put([{ liftId: 'L-REG', areaCode: '3301' }], 'admin')).rejects.toThrow(/area code "3301" is not a GB\/T 2260 code/);
      const many = Array.from({ length: 1_500 }, (_, i) => ({ liftId: `L-R-${i}`, areaCode: '330109' }));
      await b.liftRegistry.put(many, 'admin', 30);
      expect(await a.liftRegistry.inArea('330109')).toHaveLength(1_500);
      await a.liftRegistry.put([{ liftId: 'L-REG', areaCode: null }], 'admin', 40);
      expect(await b.lifts.inArea('330108')).toEqual([]);
      await expect(a.lifts.putRegistry('bad id!', {}, 1)).rejects.toThrow(/lift id "bad id!" is not valid/);
      await expect(a.lifts.putStatus('L-REG', [] as never, 1)).rejects.toThrow(/give a JSON object/);
    });

    it('lifts: coalesced summaries of two nodes add their counts and keep the newest status, registry and presence', async () => {
      const st = (mode: string, ts: number) => ({ body: JSON.stringify({ mode, ts }), ts });
      // Node a saw the lift first; its terminal then moved to node b, whose summaries may land first.
      await b.lifts.putSummaries([{ liftId: 'L-SUM', firstSeenAt: 200, lastSeenAt: 300, records: 4, status: st('inspection', 3_000), presence: { state: 'online', rx: 250 } }]);
      await a.lifts.putSummaries([{ liftId: 'L-SUM', firstSeenAt: 100, lastSeenAt: 190, records: 6, status: st('normal', 1_000), registry: st('reg', 900), presence: { state: 'offline', rx: 190 } }]);
      expect(await b.lifts.get('L-SUM')).toMatchObject({ firstSeenAt: 100, lastSeenAt: 300, recordsTotal: 10, status: { mode: 'inspection' }, registry: { mode: 'reg' }, presence: 'online' });
      // A row without a status, registry or presence keeps those it has.
      await a.lifts.putSummaries([{ liftId: 'L-SUM', firstSeenAt: 400, lastSeenAt: 400, records: 1 }]);
      expect(await a.lifts.get('L-SUM')).toMatchObject({ recordsTotal: 11, lastSeenAt: 400, status: { mode: 'inspection' }, presence: 'online' });
      expect(await a.lifts.changedSince(350)).toContain('L-SUM');
      expect(await a.lifts.changedSince(10_000)).not.toContain('L-SUM');
      // More rows than one statement takes.
      const many = Array.from({ length: 2_500 }, (_, i) => ({ liftId: `L-MANY-${i}`, firstSeenAt: 1, lastSeenAt: 2, records: 1 }));
      await a.lifts.putSummaries(many);
      await b.lifts.putSummaries(many);
      expect(await a.lifts.getMany(['L-MANY-0', 'L-MANY-2499', 'L-NONE'])).toMatchObject([{ liftId: 'L-MANY-0', recordsTotal: 2 }, { liftId: 'L-MANY-2499', recordsTotal: 2 }]);
      await expect(a.lifts.putSummaries([{ liftId: 'L-SUM', firstSeenAt: 1, lastSeenAt: 1, records: -1 }])).rejects.toThrow(/records is -1: give a count/);
    });

    it('lifts: a status with a higher seq wins over one with a later device time (a terminal clock set back)', async () => {
      const st = (mode: string, ts: number, seq: number) => ({ body: JSON.stringify({ mode, seq }), ts, seq });
      await a.lifts.putSummaries([{ liftId: 'L-CLK', firstSeenAt: 1, lastSeenAt: 1, records: 1, status: st('before', 5_000_000, 7) }]);
      // The clock went back an hour: seq 8 has an earlier device time but is the newer status.
      await b.lifts.putSummaries([{ liftId: 'L-CLK', firstSeenAt: 2, lastSeenAt: 2, records: 1, status: st('after', 5_000_000 - 3_600_000, 8) }]);
      expect(await a.lifts.get('L-CLK')).toMatchObject({ status: { mode: 'after' } });
      // A late record (lower seq, earlier time) rewinds nothing.
      await a.lifts.putSummaries([{ liftId: 'L-CLK', firstSeenAt: 3, lastSeenAt: 3, records: 1, status: st('late', 1_000, 6) }]);
      expect(await b.lifts.get('L-CLK')).toMatchObject({ status: { mode: 'after' } });
      await a.lifts.putStatus('L-CLK', { mode: 'one-by-one', seq: 9 }, 1_500, 4);
      expect(await b.lifts.get('L-CLK')).toMatchObject({ status: { mode: 'one-by-one' } });
    });

    it('terminals: added all or none, an id only once, rotated and disabled for every node', async () => {
      const t = (id: string, liftId: string) => ({ terminalId: id, liftId, role: 'terminal' as const, salt: Buffer.from([1, 2, id.length]), tokenHash: Buffer.alloc(32, 7) });
      await a.terminals.insertMany([t('T-A1', 'A1'), t('T-A2', 'A2')]);
      await expect(b.terminals.insertMany([t('T-A3', 'A3'), t('T-A1', 'A1')])).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/T-A1 is already registered/) });
      expect(await a.terminals.get('T-A3')).toBeUndefined(); // nothing of the failed batch
      await expect(a.terminals.insertMany([t('T-A4', 'A4'), t('T-A4', 'A4')])).rejects.toThrow(/T-A4 is twice in the list/);
      await expect(a.terminals.insertMany([{ ...t('T-A5', 'A5'), role: 'root' as never }])).rejects.toThrow(/role "root" is not one of/);
      const got = await b.terminals.get('T-A2');
      expect(got).toMatchObject({ liftId: 'A2', role: 'terminal', enabled: true });
      expect(got?.tokenHash.equals(Buffer.alloc(32, 7))).toBe(true);
      expect(await b.terminals.rotate('T-A2', Buffer.from([9]), Buffer.alloc(32, 9), 77)).toBe(true);
      expect(await a.terminals.get('T-A2')).toMatchObject({ salt: Buffer.from([9]), rotatedAt: 77 });
      expect(await b.terminals.setEnabled('T-A2', false)).toBe(true);
      expect(await a.terminals.get('T-A2')).toMatchObject({ enabled: false });
      expect(await a.terminals.setEnabled('T-NONE', false)).toBe(false);
      expect((await a.terminals.list({ liftId: 'A1' })).map((r) => r.terminalId)).toEqual(['T-A1']);
    });

    it('users: a new user needs a password hash, a change closes the sessions, sessions expire, the audit is append-only', async () => {
      await expect(a.users.upsert('ann', { name: 'Ann', role: 'crew', orgId: 'MU-1', areaCode: null, disabled: false })).rejects.toThrow(/is new: give a password/);
      await expect(a.users.upsert('ann', { name: 'Ann', role: 'crew', orgId: null, areaCode: null, disabled: false, passwordHash: 'h' })).rejects.toThrow(/needs an orgId/);
      await expect(a.users.upsert('ann', { name: 'Ann', role: 'boss' as never, orgId: 'MU-1', areaCode: null, disabled: false, passwordHash: 'h' })).rejects.toThrow(/role "boss" is not one of/);
      await a.users.upsert('ann', { name: 'Ann', role: 'crew', orgId: 'MU-1', areaCode: null, disabled: false, passwordHash: 'hash-1' });
      await b.users.openSession('sha-1', 'ann', 60_000, 1_000);
      expect(await a.users.sessionUser('sha-1', 2_000)).toMatchObject({ id: 'ann', role: 'crew', orgId: 'MU-1' });
      expect(await a.users.sessionUser('sha-1', 61_000)).toBeUndefined(); // expired
      await b.users.openSession('sha-2', 'ann', 60_000, Date.now());
      await a.users.upsert('ann', { name: 'Ann B.', role: 'manager', orgId: 'MU-1', areaCode: null, disabled: false });
      expect(await b.users.sessionUser('sha-2')).toBeUndefined(); // the change closed it
      expect(await b.users.get('ann')).toMatchObject({ name: 'Ann B.', role: 'manager', passwordHash: 'hash-1', mustChangePassword: false, passwordExpiresAt: null }); // hash kept
      await b.users.openSession('sha-3', 'ann', 60_000, Date.now());
      expect(await a.users.setPassword('ann', 'hash-2', { expiresAt: 5_000 })).toMatchObject({ id: 'ann', mustChangePassword: true });
      expect(await b.users.get('ann')).toMatchObject({ passwordHash: 'hash-2', mustChangePassword: true, passwordExpiresAt: 5_000 });
      expect(await b.users.sessionUser('sha-3')).toBeUndefined(); // a new password closes the sessions
      await a.users.upsert('ann', { name: 'Ann B.', role: 'manager', orgId: 'MU-1', areaCode: null, disabled: false, passwordHash: 'hash-3' });
      expect(await b.users.get('ann')).toMatchObject({ passwordHash: 'hash-3', mustChangePassword: false, passwordExpiresAt: null }); // set by an admin: the user's own
      await expect(a.users.setPassword('nobody', 'h')).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
      expect(await b.users.count()).toBeGreaterThanOrEqual(1);
      await a.users.audit({ at: 1, actor: 'ann', role: 'manager', method: 'POST', route: '/api/x', url: '/api/x', status: 200, ip: '127.0.0.1' });
      const lines = await b.users.auditList({ after: 0, limit: 10 });
      expect(lines.at(-1)).toMatchObject({ actor: 'ann', status: 200 });
      await expect(sql`UPDATE dash_audit SET actor = 'eve'`.execute(a.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM dash_audit`.execute(a.db)).rejects.toThrow(/append-only/);
    });

    it('organisations, people, lift assignments, rotas and policies are checked and shared', async () => {
      await a.crew.upsertOrg({ id: 'MU-1', kind: 'maintenanceUnit', name: 'Unit 1', roles: { supervisor: ['p1'] } });
      await expect(a.crew.upsertOrg({ id: 'MU-2', kind: 'club', name: 'x' })).rejects.toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/organisation: \/kind/) });
      await expect(b.crew.upsertPerson({ id: 'p9', name: 'P', orgId: 'NOPE', channels: [] })).rejects.toThrow(/organisation "NOPE" does not exist/);
      await b.crew.upsertPerson({ id: 'p1', name: 'Wang', orgId: 'MU-1', channels: [] });
      await b.crew.upsertPerson({ id: 'p2', name: 'Li', orgId: 'MU-1', channels: [], language: 'en' });
      // A person's language: Chinese unless they chose English.
      expect((await a.crew.getPerson('p1'))?.language).toBe('zh-CN');
      expect((await a.crew.getPerson('p2'))?.language).toBe('en');
      await a.crew.assignLift({ liftId: 'L-C', maintenanceUnit: 'MU-1' });
      await expect(a.crew.assignLift({ liftId: 'L-C', maintenanceUnit: 'p1' })).rejects.toThrow(/is not a maintenance unit/);
      await expect(a.crew.addShift({ unitId: 'MU-1', startsAt: 10, endsAt: 5, primary: 'p1', backup: 'p2' })).rejects.toThrow(/not after its start/);
      await expect(a.crew.addShift({ unitId: 'MU-1', startsAt: 0, endsAt: 5, primary: 'p1', backup: 'ghost' })).rejects.toThrow(/person "ghost" does not exist/);
      const shift = await a.crew.addShift({ unitId: 'MU-1', startsAt: 0, endsAt: 10_000, primary: 'p1', backup: 'p2' });
      expect(await b.crew.shiftAt('MU-1', 5_000)).toEqual(shift);
      expect(await b.crew.shiftAt('MU-1', 10_000)).toBeUndefined();
      expect(await b.crew.getLift('L-C')).toEqual({ liftId: 'L-C', maintenanceUnit: 'MU-1', useUnit: null, district: null });
      expect(await b.crew.listLifts()).toContainEqual({ liftId: 'L-C', maintenanceUnit: 'MU-1', useUnit: null, district: null });
      const policy = { name: 'fast', steps: [{ afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'now' }], reminder: null };
      await a.crew.setPolicy('MU-1', 'P1', policy);
      expect(await b.crew.getPolicy('MU-1', 'P1')).toMatchObject({ name: 'fast' });
      await expect(a.crew.setPolicy('MU-1', 'P9' as never, policy)).rejects.toThrow(/severity "P9"/);
    });

    it('alerts: one per (lift, code), occurrences counted once, the most severe level kept', async () => {
      const base = { liftId: 'L-AL', code: 'DOOR_OPEN_TIMEOUT', reason: 'door open 40 s', at: 1_000 };
      const first = await a.alerts.raise({ ...base, severity: 'P3', evidence: ev('L-AL', 1) });
      expect(first).toMatchObject({ created: true, counted: true });
      expect(await b.alerts.raise({ ...base, severity: 'P2', evidence: ev('L-AL', 2), at: 2_000 })).toEqual({ alertId: first.alertId, created: false, counted: true });
      expect(await b.alerts.raise({ ...base, severity: 'P2', evidence: ev('L-AL', 2), at: 2_001 })).toMatchObject({ counted: false }); // replayed record
      expect(await a.alerts.get(first.alertId)).toMatchObject({ state: 'open', severity: 'P2', occurrences: 2, lastSeenAt: 2_000 });
      const keyed = await a.alerts.raise({ liftId: 'L-AK', code: 'E01', severity: 'P1', reason: 'Alarm button pressed in the car at floor 3', reasonKey: 'alarm.raised', reasonParams: { kind: 'button', floor: 3 }, evidence: ev('L-AK', 1), at: 1_500 });
      expect(await b.alerts.get(keyed.alertId)).toMatchObject({ reasonKey: 'alarm.raised', reasonParams: { kind: 'button', floor: 3 } });
      expect(await b.alerts.get(first.alertId)).toMatchObject({ reasonKey: null, reasonParams: null });
      await expect(a.alerts.raise({ ...base, severity: 'P7' as never, evidence: ev('L-AL', 3) })).rejects.toThrow(/severity "P7"/);
      await expect(a.alerts.transition(999_999, 'resolved', { from: ['open'], actor: 'x', note: '', at: 1 })).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
      expect(await a.alerts.clearCondition('L-AL', base.code, 3_000, 'door closed')).toBe(first.alertId);
      expect(await a.alerts.transition(first.alertId, 'resolved', { from: ['open', 'acknowledged', 'onSite'], actor: 'p1', note: 'fixed', at: 4_000 })).toBe(true);
      const again = await b.alerts.raise({ ...base, severity: 'P3', evidence: ev('L-AL', 9), at: 5_000 });
      expect(again.created).toBe(true); // a finished alert does not take new occurrences
      const detail = await b.alerts.detail(first.alertId, 10);
      expect(detail?.audit.map((l) => l.action)).toEqual(['opened', 'conditionCleared', 'resolved']);
      expect(detail?.evidence.map((e) => e.evidence.seq)).toEqual([2, 1]);
      expect((await a.alerts.active()).filter((x) => x.liftId === 'L-AL')).toEqual([{ id: again.alertId, liftId: 'L-AL' }]);
      await expect(sql`DELETE FROM alert_audit`.execute(b.db)).rejects.toThrow(/append-only/);
    });

    it('alerts: one that opened and cleared in history is written resolved with its real times, beside the active one', async () => {
      const base = { liftId: 'L-HIST', code: 'D01', severity: 'P3' as const, reason: 'door model predicts wear' };
      const live = await a.alerts.raise({ ...base, evidence: ev('L-HIST', 7), at: 90_000 });
      const { alertId } = await b.alerts.recordClosed({ ...base, evidence: ev('L-HIST', 3), at: 10_000, clearedAt: 40_000, clearNote: 'score fell', closeNote: 'cleared in history' });
      expect(await a.alerts.get(alertId)).toMatchObject({ state: 'resolved', openedAt: 10_000, updatedAt: 40_000, conditionClearedAt: 40_000, occurrences: 1 });
      expect((await a.alerts.detail(alertId, 5))?.audit).toEqual([
        { at: 10_000, action: 'opened', actor: 'history', note: base.reason },
        { at: 40_000, action: 'conditionCleared', actor: 'history', note: 'score fell' },
        { at: 40_000, action: 'resolved', actor: 'history', note: 'cleared in history' },
      ]);
      expect((await a.alerts.active()).filter((x) => x.liftId === 'L-HIST')).toEqual([{ id: live.alertId, liftId: 'L-HIST' }]);
      await expect(a.alerts.recordClosed({ ...base, evidence: ev('L-HIST', 4), at: 50_000, clearedAt: 49_000, clearNote: '', closeNote: '' })).rejects.toThrow(/before it opened/);
    });

    it('alerts: two nodes raising the same fault at once make one alert with both occurrences', async () => {
      for (let i = 0; i < 5; i++) {
        const liftId = `L-RACE-${i}`;
        const [x, y] = await Promise.all([
          a.alerts.raise({ liftId, code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev(liftId, 1) }),
          b.alerts.raise({ liftId, code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev(liftId, 2) }),
        ]);
        expect(x.alertId).toBe(y.alertId);
        expect([x.created, y.created].filter(Boolean)).toHaveLength(1);
        expect((await a.alerts.list({ state: 'active', liftId, limit: 10 })).map((r) => r.occurrences)).toEqual([2]);
      }
    });

    it('alerts: of two nodes acknowledging at once exactly one wins, and is the assignee', async () => {
      for (let i = 0; i < 5; i++) {
        const liftId = `L-ACK-${i}`;
        const { alertId } = await a.alerts.raise({ liftId, code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev(liftId, 1) });
        const results = await Promise.all([
          a.alerts.transition(alertId, 'acknowledged', { from: ['open'], actor: 'node-a', note: '', at: 2_000 }),
          b.alerts.transition(alertId, 'acknowledged', { from: ['open'], actor: 'node-b', note: '', at: 2_000 }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? 'node-a' : 'node-b';
        expect(await b.alerts.get(alertId)).toMatchObject({ state: 'acknowledged', assignee: winner });
        expect((await a.alerts.detail(alertId, 1))?.audit.filter((l) => l.action === 'acknowledged')).toHaveLength(1);
      }
    });

    it('alerts: audit lines and assignment need an alert that exists; escalation-less alerts are found', async () => {
      const { alertId } = await a.alerts.raise({ liftId: 'L-AUD', code: 'OVERSPEED', severity: 'P1', reason: 'fast', at: 1, evidence: ev('L-AUD', 1) });
      expect((await b.alerts.unscheduled()).map((r) => r.id)).toContain(alertId);
      await b.alerts.audit(alertId, { at: 2, action: 'policy', actor: 'system', note: 'p1-entrapment' });
      expect((await a.alerts.unscheduled()).map((r) => r.id)).not.toContain(alertId);
      await a.alerts.assign(alertId, 'p2', 'admin', 3);
      expect(await b.alerts.get(alertId)).toMatchObject({ assignee: 'p2' });
      await expect(a.alerts.audit(888_888, { at: 1, action: 'x', actor: 'y', note: '' })).rejects.toThrow(/alert 888888 does not exist/);
      await expect(a.alerts.assign(888_888, 'p2', 'admin', 3)).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
    });

    it('notification attempts: appended, read per alert and in pages, checked, never changed', async () => {
      const { alertId } = await a.alerts.raise({ liftId: 'L-NT', code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev('L-NT', 1) });
      const base = { alertId, jobId: `d:${alertId}:step0:p1:webhook0`, cause: 'now', recipientId: 'p1', channel: 'webhook', attempt: 1, at: 2_000 };
      await a.notifications.record({ ...base, outcome: 'retrying', detail: '503' });
      await b.notifications.record({ ...base, attempt: 2, at: 3_000, outcome: 'sent', detail: 'accepted by webhook' });
      const mine = await b.notifications.ofAlert(alertId);
      expect(mine.map((x) => [x.attempt, x.outcome])).toEqual([[1, 'retrying'], [2, 'sent']]);
      expect(mine[0]).toMatchObject({ ...base, outcome: 'retrying', detail: '503' });
      const page = await a.notifications.after(mine[0]!.id, 10);
      expect(page.map((x) => x.id)).toEqual([mine[1]!.id]);
      await expect(a.notifications.record({ ...base, outcome: 'lost' as never, detail: '' })).rejects.toThrow(/outcome "lost" is not one of/);
      await expect(sql`UPDATE notification_attempts SET outcome = 'failed'`.execute(a.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM notification_attempts`.execute(b.db)).rejects.toThrow(/append-only/);
    });

    it('escalation plans: of two nodes claiming one alert at once exactly one plans it; a stale claim is taken over', async () => {
      for (let i = 0; i < 5; i++) {
        const liftId = `L-PLAN-${i}`;
        const { alertId } = await a.alerts.raise({ liftId, code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev(liftId, 1) });
        const won = await Promise.all([a.alerts.claimPlan(alertId, 'node-a', 1_000, 60_000), b.alerts.claimPlan(alertId, 'node-b', 1_000, 60_000)]);
        expect(won.filter(Boolean)).toHaveLength(1);
      }
      const { alertId } = await a.alerts.raise({ liftId: 'L-PLAN-X', code: 'ENTRAPMENT', severity: 'P1', reason: 'trapped', at: 1_000, evidence: ev('L-PLAN-X', 1) });
      expect(await a.alerts.claimPlan(alertId, 'node-a', 1_000, 60_000)).toBe(true);
      expect(await b.alerts.claimPlan(alertId, 'node-b', 30_000, 60_000)).toBe(false); // node-a may still be planning
      expect(await b.alerts.claimPlan(alertId, 'node-b', 61_000, 60_000)).toBe(true); // node-a died before its plan
      await b.alerts.commitLines(alertId, {
        audit: [{ at: 61_001, action: 'policy', actor: 'system', note: 'p1-entrapment' }],
        attempts: [{ alertId, jobId: 'j1', cause: 'now', recipientId: 'p1', channel: 'webhook', attempt: 0, at: 61_001, outcome: 'suppressed', detail: 'quiet hours' }],
        planned: 61_001,
      });
      expect(await a.alerts.claimPlan(alertId, 'node-a', 999_000, 60_000)).toBe(false); // planned: never again
      expect((await a.alerts.detail(alertId, 1))?.audit.map((l) => l.action)).toEqual(['opened', 'policy']);
      expect(await a.notifications.ofAlert(alertId)).toMatchObject([{ outcome: 'suppressed', detail: 'quiet hours' }]);
      expect((await a.alerts.unscheduled()).map((r) => r.id)).not.toContain(alertId);
      await expect(a.alerts.commitLines(alertId, { audit: [], attempts: [{ alertId, jobId: 'j2', cause: '', recipientId: 'p', channel: 'x', attempt: 0, at: -1, outcome: 'sent', detail: '' }] }))
        .rejects.toThrow(/at is -1/);
    });

    it('maintenance visits: one going on per lift, even when two nodes start one at once; ended at the time limit', async () => {
      const [x, y] = await Promise.all([
        a.visits.start({ liftId: 'L-V', technician: 'terminal', source: 'terminal', at: 1_000, endsBy: 100_000 }),
        b.visits.start({ liftId: 'L-V', technician: 'Wang', source: 'checkIn', at: 1_000, endsBy: 100_000 }),
      ]);
      expect(x.id).toBe(y.id);
      await b.visits.countSuppressed(x.id);
      expect(await a.visits.active('L-V', 50_000)).toMatchObject({ id: x.id, suppressed: 1 });
      expect(await a.visits.active('L-V', 100_000)).toBeUndefined(); // time limit reached: ended
      expect((await b.visits.list('L-V'))[0]).toMatchObject({ endedAt: 100_000, endReason: expect.stringMatching(/time limit/) });
      const next = await b.visits.start({ liftId: 'L-V', technician: 'Li', source: 'checkIn', at: 200_000, endsBy: 300_000 });
      expect(await a.visits.stop('L-V', 'checked out by Li', 250_000)).toMatchObject({ id: next.id, endedAt: 250_000 });
      await expect(a.visits.start({ liftId: 'L-V', technician: 'Li', source: 'phone' as never, at: 1, endsBy: 2 })).rejects.toThrow(/source "phone"/);
      await expect(a.visits.start({ liftId: 'L-V', technician: 'Li', source: 'checkIn', at: 5, endsBy: 5 })).rejects.toThrow(/not after its start/);
    });

    it('a write from one node waits for another node\'s open transaction instead of failing', async () => {
      const point = { score: 50, grade: 'C' as const, confidence: 1, paramsVersion: 'h1', components: {}, reasons: [] };
      const held = a.db.transaction().execute(async (trx) => {
        await trx.insertInto('health_history').values({ lift_id: 'L-LOCK', at: 1, score: 50, grade: 'C', confidence: 1, params_version: 'h1', components_json: '{}', reasons_json: '[]' }).execute();
        await new Promise((r) => setTimeout(r, 150));
      });
      await new Promise((r) => setTimeout(r, 20));
      await expect(b.health.append({ ...point, liftId: 'L-LOCK', at: 2 })).resolves.toBe(true);
      await held;
      expect((await a.health.history('L-LOCK')).map((p) => p.at)).toEqual([1, 2]);
    });

    it('health history: the latest score of each lift, and of those computed since a time', async () => {
      const p = { score: 70, grade: 'C' as const, confidence: 0.8, paramsVersion: 'h1', components: { ride: 70 }, reasons: [] };
      await a.health.append({ ...p, liftId: 'L-LAT-1', at: 5_000 });
      await b.health.append({ ...p, liftId: 'L-LAT-1', at: 6_000, score: 90, grade: 'A' });
      await a.health.append({ ...p, liftId: 'L-LAT-2', at: 5_500 });
      // Too little data to grade: the score is kept without one.
      await a.health.append({ ...p, liftId: 'L-LAT-3', at: 5_600, score: 50, grade: null, confidence: 0.1 });
      const latest = (await b.health.latest()).filter((x) => x.liftId.startsWith('L-LAT-'));
      expect(latest.map((x) => [x.liftId, x.at, x.grade]).sort()).toEqual([['L-LAT-1', 6_000, 'A'], ['L-LAT-2', 5_500, 'C'], ['L-LAT-3', 5_600, null]]);
      expect((await b.health.latest(5_800)).filter((x) => x.liftId.startsWith('L-LAT-')).map((x) => x.liftId)).toEqual(['L-LAT-1']);
      expect((await b.health.history('L-LAT-1', { limit: 1, newestFirst: true })).map((x) => x.at)).toEqual([6_000]);
    });

    it('health history: many scores at once (a city\'s first round) in chunks, replays skipped, a bad one refuses the batch by name', async () => {
      const p = { score: 70, grade: 'C' as const, confidence: 0.8, paramsVersion: 'h1', components: {}, reasons: [] };
      const many = Array.from({ length: 1_200 }, (_, i) => ({ ...p, liftId: `L-MANY-${i % 600}`, at: 1_000 + Math.floor(i / 600) }));
      await a.health.appendMany(many);
      await b.health.appendMany(many.slice(0, 10)); // replayed
      expect((await b.health.history('L-MANY-7')).map((x) => x.at)).toEqual([1_000, 1_001]);
      expect((await b.health.latest()).filter((x) => x.liftId.startsWith('L-MANY-'))).toHaveLength(600);
      await expect(a.health.appendMany([{ ...p, liftId: 'L-MANY-X', at: 5 }, { ...p, liftId: 'L-MANY-Y', at: 5, score: 120 }])).rejects.toThrow(/health score of L-MANY-Y is 120/);
      expect(await b.health.history('L-MANY-X')).toEqual([]);
    });

    it('health history: appended once per (lift, time), read back in order, bad scores refused', async () => {
      const p = { liftId: 'L-H', score: 81.5, grade: 'B' as const, confidence: 0.9, paramsVersion: 'h1', components: { doors: 70 }, reasons: [{ text: 'doors slow', evidence: ['door:12'] }] };
      expect(await a.health.append({ ...p, at: 2_000 })).toBe(true);
      expect(await b.health.append({ ...p, at: 1_000, score: 90, grade: 'A' })).toBe(true);
      expect(await b.health.append({ ...p, at: 2_000, score: 10 })).toBe(false); // replay: the first stays
      const h = await a.health.history('L-H', { from: 0, to: 3_000 });
      expect(h.map((x) => [x.at, x.score])).toEqual([[1_000, 90], [2_000, 81.5]]);
      expect(h[1]).toMatchObject({ components: { doors: 70 }, reasons: [{ text: 'doors slow' }], caps: [] });
      // A capped score keeps its caps, with the records behind them, for every node that reads it.
      const cap = { cap: 69, reason: 'open P2 alert 412', evidence: ['alert:412'] };
      expect(await a.health.append({ ...p, at: 2_500, score: 69, grade: 'C', caps: [cap] })).toBe(true);
      expect((await b.health.history('L-H', { limit: 1, newestFirst: true }))[0]).toMatchObject({ at: 2_500, caps: [cap] });
      expect((await b.health.latest()).find((x) => x.liftId === 'L-H')).toMatchObject({ caps: [cap] });
      await expect(a.health.append({ ...p, at: 3_000, score: 120 })).rejects.toThrow(/is 120: give 0–100/);
      await expect(a.health.append({ ...p, at: 3_000, grade: 'F' as never })).rejects.toThrow(/grade of L-H is "F"/);
    });

    deadLetterCases(() => ({ a, b }));
    findingCases(() => ({ a, b }));
    registryCases(() => ({ a, b }));
    exchangeCases(() => ({ a, b }));
    hazardCases(() => ({ a, b }));
    terminalConfigCases(() => ({ a, b }));
  });
}
