import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { StateStore } from '../src/index.js';

/** The findings' part of the contract suite (contract.ts): `nodes()` gives two connections (two nodes) to one database. */
export function findingCases(nodes: () => { a: StateStore; b: StateStore }): void {
  const ACTIVE = ['open', 'acknowledged', 'onSite'] as const;
  const predicted = (liftId: string, seq: number, version: string | number) => ({ liftId, stream: 'door', seq, ts: 1_000 + seq, values: { modelId: 'door-system', version, score: 0.91 } });
  const raise = (s: StateStore, liftId: string, code: string, severity: 'P1' | 'P3', evidence: ReturnType<typeof predicted> | { liftId: string; stream: string; seq: number; ts: number; values: Record<string, unknown> }) =>
    s.alerts.raise({ liftId, code, severity, reason: 'test', at: 5_000, evidence }).then((r) => r.alertId);

  it('findings: written with the move that closes an alert, naming the model version of its first occurrence; tallied for precision on every node', async () => {
    const { a, b } = nodes();
    const hit = await raise(a, 'L-FIND-1', 'D01', 'P3', predicted('L-FIND-1', 1, '2'));
    await b.alerts.raise({ liftId: 'L-FIND-1', code: 'D01', severity: 'P3', reason: 'again', at: 6_000, evidence: predicted('L-FIND-1', 2, '3') }); // a later occurrence of another version
    const miss = await raise(b, 'L-FIND-2', 'D01', 'P3', predicted('L-FIND-2', 1, 2));
    const rule = await raise(a, 'L-FIND-3', 'E09', 'P3', { liftId: 'L-FIND-3', stream: 'door', seq: 1, ts: 1, values: { closeS: 9 } });
    const before = await a.findings.tally();
    expect(await a.alerts.transition(hit, 'resolved', { from: ACTIVE, actor: 'crew-1', note: 'belt worn', at: 9_000, finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' } })).toBe(true);
    expect(await b.alerts.transition(miss, 'falseAlarm', { from: ACTIVE, actor: 'crew-2', note: '', at: 9_100 })).toBe(true); // implied: a false alarm
    expect(await a.alerts.transition(rule, 'resolved', { from: ACTIVE, actor: 'crew-1', note: '', at: 9_200, finding: { outcome: 'no-fault-found', note: 'doors fine' } })).toBe(true);

    expect(await b.findings.get(hit)).toEqual({
      alertId: hit, liftId: 'L-FIND-1', code: 'D01', alertOpenedAt: 5_000, modelId: 'door-system', modelVersion: '2', family: 'door-system',
      outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt', note: '', actor: 'crew-1', at: 9_000,
    });
    expect(await a.findings.get(miss)).toMatchObject({ modelId: 'door-system', modelVersion: '2', outcome: 'false-alarm', component: null, actor: 'crew-2' });
    expect(await a.findings.get(rule)).toMatchObject({ modelId: null, modelVersion: null, family: 'door-system', outcome: 'no-fault-found', note: 'doors fine' });
    expect((await a.alerts.detail(hit, 1))?.audit.map((l) => [l.action, l.note])).toEqual([['opened', 'test'], ['resolved', 'belt worn'], ['finding', 'confirmed: doorOperator; replaced door belt']]);

    const added = (await b.findings.tally()).filter((t) => !before.some((x) => JSON.stringify(x) === JSON.stringify(t)));
    expect(added.sort((x, y) => x.outcome.localeCompare(y.outcome))).toEqual([
      { modelId: 'door-system', modelVersion: '2', code: 'D01', outcome: 'confirmed', component: 'doorOperator', count: 1 },
      { modelId: 'door-system', modelVersion: '2', code: 'D01', outcome: 'false-alarm', component: null, count: 1 },
      { modelId: null, modelVersion: null, code: 'E09', outcome: 'no-fault-found', component: null, count: 1 },
    ]);
    const page = await a.findings.page({ after: hit - 1, limit: 2 });
    expect(page.map((f) => f.alertId)).toEqual([hit, miss]);
    expect((await a.findings.page({ after: 0, limit: 1000, since: 5_001 })).map((f) => f.alertId)).not.toContain(hit);
  });

  it('findings: an alert the family\'s served rule raised (firedBy rule) is measured as a rule\'s, not as the model version\'s', async () => {
    const { a, b } = nodes();
    const values = { modelId: 'brake', version: '2', predictor: 'model-or-rule', firedBy: 'rule', rule: { text: 'mean brake drop time, ms > 238', score: 1.3 } };
    const d = await raise(a, 'L-FIND-6', 'D05', 'P3', { liftId: 'L-FIND-6', stream: 'trip', seq: 1, ts: 1, values });
    expect(await a.alerts.transition(d, 'resolved', { from: ACTIVE, actor: 'crew-1', note: '', at: 9_000, finding: { outcome: 'confirmed', component: 'brake' } })).toBe(true);
    expect(await b.findings.get(d)).toMatchObject({ modelId: null, modelVersion: null, family: 'brake', code: 'D05' });
  });

  it('findings: a finding that does not fit the move is refused and nothing moves; a P1 closes without one and gets it later', async () => {
    const { a, b } = nodes();
    const d = await raise(a, 'L-FIND-4', 'D05', 'P3', predicted('L-FIND-4', 1, '2'));
    await expect(a.alerts.transition(d, 'resolved', { from: ACTIVE, actor: 'x', note: '', at: 9_000, finding: { outcome: 'confirmed' } })).rejects.toThrow(/a confirmed fault names its component/);
    await expect(a.alerts.transition(d, 'resolved', { from: ACTIVE, actor: 'x', note: '', at: 9_000, finding: { outcome: 'confirmed', component: 'wheel' as never } })).rejects.toThrow(/finding of alert \d+: \/component/);
    expect(await b.alerts.get(d)).toMatchObject({ state: 'open' });
    expect(await b.findings.get(d)).toBeUndefined();

    const rescue = await raise(b, 'L-FIND-5', 'E01', 'P1', { liftId: 'L-FIND-5', stream: 'alarm', seq: 1, ts: 1, values: {} });
    await expect(a.findings.put(rescue, { outcome: 'confirmed', component: 'doorLock' }, 'crew-1', 9_500)).rejects.toThrow(/is open: its finding is sent with the move that closes it/);
    expect(await a.alerts.transition(rescue, 'resolved', { from: ACTIVE, actor: 'crew-1', note: 'passengers out', at: 9_600 })).toBe(true);
    expect(await a.findings.get(rescue)).toBeUndefined();
    await expect(b.findings.put(rescue, { outcome: 'false-alarm' }, 'crew-1', 9_700)).rejects.toThrow(/outcome "false-alarm" does not go with resolved/);
    expect(await b.findings.put(rescue, { outcome: 'confirmed', component: 'doorLock', partReplaced: 'lock contact' }, 'crew-1', 9_800)).toMatchObject({ family: 'door-system', partReplaced: 'lock contact', at: 9_800 });
    // corrected later: replaced, the audit keeps both
    expect(await a.findings.put(rescue, { outcome: 'confirmed', component: 'power' }, 'sup-1', 9_900)).toMatchObject({ component: 'power', family: null, partReplaced: null, actor: 'sup-1' });
    expect((await b.alerts.detail(rescue, 1))?.audit.filter((l) => l.action === 'finding').map((l) => l.note)).toEqual(['confirmed: doorLock; replaced lock contact', 'confirmed: power']);
    await expect(a.findings.put(999_999, { outcome: 'false-alarm' }, 'x', 1)).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
    expect(Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM alert_findings WHERE alert_id = ${rescue}`.execute(a.db)).rows[0]!.n)).toBe(1);
  });
}
