import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertView } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { createAlerting, type Alerting } from '../src/alerting.js';
import { openTestState, type TestState } from './test-state.js';

// Closing an alert with the crew's finding, over the all-in-one's state store: which moves need one,
// a P1 rescue that never waits for one, and the precision the findings give each model version and rule.
let dir: ReturnType<typeof tempDir>;
let s: TestState;
let alerting: Alerting;
const changes: AlertView[] = [];
let t = 1_000_000;
let seq = 0;

beforeEach(async () => {
  dir = tempDir();
  s = await openTestState('sqlite', { file: join(dir.path, 'state.db') }, () => t);
  alerting = createAlerting({ state: s.state, queue: s.queue, now: () => t, backend: { soleNode: true }, onChange: (a) => changes.push(a) });
});
afterEach(async () => {
  await alerting.close();
  await s.close();
  dir.remove();
});

const predicted = async (liftId: string, version: string) => (await alerting.raise({
  liftId, code: 'D01', reason: `model door-system v${version} predicts a doorSystem failure`, evidence: { liftId, stream: 'door', seq: ++seq, ts: t, values: { modelId: 'door-system', version, score: 0.9 } },
})).alert!;
const ruled = async (liftId: string, code: string) => (await alerting.raise({ liftId, code, reason: 'rule', evidence: { liftId, stream: 'alarm', seq: ++seq, ts: t, values: {} } })).alert!;

describe('closing an alert with the crew\'s finding', () => {
  it('a predicted alert is not resolved without one (LW_ERR_FINDING_REQUIRED) and stays open; with one, the finding is in its detail', async () => {
    const a = await predicted('L-1', '2');
    await expect(alerting.transition(a.id, 'resolved', 'crew-1', 'done')).rejects.toMatchObject({ code: 'LW_ERR_FINDING_REQUIRED', message: expect.stringMatching(/is resolved with the crew's finding/) });
    await expect(alerting.transition(a.id, 'resolved', 'crew-1', '', { outcome: 'false-alarm' })).rejects.toMatchObject({ code: 'LW_ERR_REQUEST_INVALID', message: expect.stringMatching(/mark it a false alarm/) });
    expect((await alerting.get(a.id))!.state).toBe('open');
    t += 60_000;
    await alerting.transition(a.id, 'resolved', 'crew-1', 'worn belt', { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' });
    expect((await alerting.get(a.id))!.finding).toEqual({
      alertId: a.id, liftId: 'L-1', code: 'D01', alertOpenedAt: a.openedAt, modelId: 'door-system', modelVersion: '2', family: 'door-system',
      outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt', note: '', actor: 'crew-1', at: t,
    });
  });

  it('a P1 rescue closes without a finding, which can be added later; a false alarm records itself', async () => {
    const rescue = await ruled('L-2', 'E01');
    expect(rescue.severity).toBe('P1');
    await alerting.transition(rescue.id, 'resolved', 'crew-1', 'passengers out');
    expect((await alerting.get(rescue.id))!.finding).toBeNull();
    changes.length = 0;
    expect(await alerting.findings.record(rescue.id, { outcome: 'confirmed', component: 'doorLock' }, 'crew-1')).toMatchObject({ code: 'E01', family: 'door-system', modelId: null });
    expect(changes.map((c) => c.id)).toEqual([rescue.id]); // the console hears of it
    const rule = await ruled('L-3', 'E09');
    await alerting.transition(rule.id, 'falseAlarm', 'crew-2');
    expect((await alerting.get(rule.id))!.finding).toMatchObject({ outcome: 'false-alarm', component: null, actor: 'crew-2' });
  });

  it('findings change the measured precision of the model version and the rule', async () => {
    expect(await alerting.findings.precision()).toEqual({ models: [], rules: [], interval: 'wilson-95' });
    const hit = await predicted('L-4', '2');
    const miss = await predicted('L-5', '2');
    await alerting.transition(hit.id, 'resolved', 'crew-1', '', { outcome: 'confirmed', component: 'doorOperator' });
    expect((await alerting.findings.precision()).models).toMatchObject([{ modelId: 'door-system', modelVersion: '2', code: 'D01', findings: 1, confirmed: 1, precision: 1 }]);
    await alerting.transition(miss.id, 'falseAlarm', 'crew-1');
    const [row] = (await alerting.findings.precision()).models;
    expect(row).toMatchObject({ findings: 2, confirmed: 1, falseAlarm: 1, precision: 0.5 });
    expect(row!.low).toBeCloseTo(0.0945, 4); // Wilson 95 % of 1/2
    expect(row!.high).toBeCloseTo(0.9055, 4);
    const e09 = await ruled('L-6', 'E09');
    await alerting.transition(e09.id, 'resolved', 'crew-1', '', { outcome: 'no-fault-found' });
    expect((await alerting.findings.precision()).rules).toMatchObject([{ code: 'E09', findings: 1, confirmed: 0, noFaultFound: 1, precision: 0 }]);
    expect((await alerting.findings.page({ after: 0, limit: 10 })).map((f) => [f.liftId, f.outcome])).toEqual([['L-4', 'confirmed'], ['L-5', 'false-alarm'], ['L-6', 'no-fault-found']]);
  });
});
