import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { liftTopic, type AlertDetail, type AlertView } from '@liftwatch/contract';
import { simulatedDoorWear } from '@liftwatch/models';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { modelsWithAnEagerDoorModel, shippedDoorVersion } from './eager-door-model.js';
import { scoringSettled, startTestLiftwatch, terminal } from './helpers.js';

// The models in the running platform: stored records feed each lift's feature state, the shipped
// models score it (the door model's raise threshold lowered: eager-door-model.ts), a predicted alert
// reaches alerting, and the lift gets a health score that the recompute command reproduces.
const LIFT = 'MODEL-1';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const END = Date.now();
const models = tempDir();
afterAll(() => models.remove());

interface Health { at: number; score: number; grade: string | null; components: Record<string, number>; reasons: Array<{ component: string; detail: string; evidence: string[] }>; recordsTo?: number }
interface ModelsStatus {
  models: Array<{ id: string; code: string; live: { version: string }; shadow: { version: string } | null }>;
  scheduling: { waiting: number; scored: number };
  shadowAlerts: Array<{ liftId: string; modelId: string; state: string; shadow: boolean }>;
  recentAlerts: Array<{ liftId: string; code: string; state: string; evidenceIds: string[] }>;
  comparison: { rows: number };
}

/** The door model served (the newest shipped; its raise threshold lowered by modelsWithAnEagerDoorModel). */
const DOOR = shippedDoorVersion();

// Both ways the serving runs: on the event loop (the default) and on a thread of its own.
describe.each([{ modelThread: false }, { modelThread: true }])('models and health in the all-in-one (model thread: $modelThread)', ({ modelThread }) => {
  let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
  let client: MqttClient;
  beforeAll(async () => {
    lw = await startTestLiftwatch({ modelThread, modelScoreMinIntervalMin: 0, modelScoreLiftsPerS: 1000, modelShadow: `door-system@${DOOR}`, modelsDir: modelsWithAnEagerDoorModel(models.path) });
    client = await terminal(lw, LIFT);
  });
  afterAll(async () => {
    await client?.endAsync();
    await lw?.stop();
  });

  const publish = async (records: readonly { stream: string; record: unknown }[]) => {
    for (const stream of ['status', 'door', 'trip', 'env', 'fault'] as const) {
      const of = records.filter((r) => r.stream === stream).map((r) => r.record);
      for (let i = 0; i < of.length; i += 250) await client.publishAsync(liftTopic(LIFT, stream), JSON.stringify(of.slice(i, i + 250)), { qos: 1 });
    }
  };
  const settled = scoringSettled<ModelsStatus>(() => lw);
  /** Nothing waiting to be scored. */
  const idle = () => waitFor('scoring to be idle', async () => { const st = await lw.get<ModelsStatus>('/api/models'); return st.scheduling.waiting === 0 ? st : undefined; }, 20_000);

  it('a wearing door (simulated) raises a predicted D01 alert naming the model, its score and top features, with evidence records', async () => {
    // 60 days with a routine visit every 15, the door operator wearing from day 40 (it would trip about
    // day 65); the healthy weeks at once, then half a day at a time, each half-day scored
    const { records } = simulatedDoorWear(LIFT, { end: END, days: 60, wornFromDay: 40, failDays: 25, trafficScale: 0.15 });
    const start = END - 60 * DAY;
    const healthyUntil = start + 40 * DAY;
    await publish(records.filter((r) => r.record.ts < healthyUntil));
    await settled();
    expect(await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${LIFT}`)).toEqual({ alerts: [] });
    for (let t = healthyUntil; t < END; t += 12 * HOUR) {
      await publish(records.filter((r) => r.record.ts >= t && r.record.ts < t + 12 * HOUR));
      await settled();
    }
    const alert = await waitFor('the predicted alert', async () => (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${LIFT}`)).alerts.find((a) => a.code === 'D01'), 20_000);
    expect(alert).toMatchObject({ severity: 'P3', state: 'open' });
    expect(alert.reason).toMatch(new RegExp(`^model door-system v${DOOR} predicts a doorSystem failure: score 0\\.\\d{3}; top features \\w+`));
    const detail = await lw.get<AlertDetail>(`/api/alerts/${alert.id}`);
    expect(JSON.stringify(detail)).toMatch(new RegExp(`${LIFT}/door/\\d+`));

    const status = await idle();
    expect(status.models.map((m) => m.id).sort()).toEqual(['brake', 'door-system', 'drive-thermal', 'guides-ride', 'traction-ropes']);
    expect(status.models.find((m) => m.id === 'door-system')).toMatchObject({ code: 'D01', live: { version: DOOR }, shadow: { version: DOOR } });
    expect(status.recentAlerts).toContainEqual(expect.objectContaining({ liftId: LIFT, code: 'D01', state: 'raised' }));
    // the shadow version's alert is recorded, not sent: alerting has one D01, from the live model
    expect(status.shadowAlerts).toContainEqual(expect.objectContaining({ liftId: LIFT, modelId: 'door-system', state: 'raised', shadow: true }));
    expect(status.comparison.rows).toBeGreaterThan(0);
    expect((await lw.get<{ alerts: AlertView[] }>(`/api/alerts?liftId=${LIFT}`)).alerts.filter((a) => a.code === 'D01')).toHaveLength(1);
    // /metrics: the scoring's lag and pace, raises per model version, the distributions of scores and grades
    const metrics = await (await fetch(`${lw.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^liftwatch_model_alerts_raised_total\\{model="door-system",version="${DOOR}"\\} 1$`, 'm'));
    expect(metrics).toMatch(/^liftwatch_model_scoring_lag_seconds \d/m);
    expect(metrics).toMatch(/^liftwatch_model_lifts_scored_total\{why="records"\} [1-9]/m);
    expect(metrics).toMatch(/^liftwatch_model_score_lifts\{model="door-system",le="1.0"\} \d/m);
    expect(metrics).toMatch(/^liftwatch_health_lifts\{grade="[A-E]"\} 1$/m);
    expect(metrics).toMatch(/^liftwatch_health_score_lifts\{le="100"\} \d/m);
    expect(metrics).toMatch(/^liftwatch_model_feature_state_bytes [1-9]/m);
  }, 180_000); // forty half-days, each scored in a round of its own

  it('the lift gets a health score with components and reasons naming record ids; the recompute command gives the same number', async () => {
    await idle();
    const lift = await lw.get<{ health: Health | null }>(`/api/lifts/${LIFT}`);
    const h = lift.health!;
    expect(h).not.toBeNull();
    expect(h.grade).toMatch(/^[A-E]$/);
    expect(Object.keys(h.components)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(h.reasons[0]).toMatchObject({ component: 'S3', key: 'S3', detail: expect.stringMatching(/door closing p95 [\d.]+ s .*\+\d+ % vs baseline/) });
    expect(h.reasons[0]!.evidence.length).toBeGreaterThan(0);
    for (const e of h.reasons[0]!.evidence) expect(e).toMatch(new RegExp(`^${LIFT}/door/\\d+$`));
    const overview = await lw.get<{ grades: Record<string, number> }>('/api/overview');
    expect(overview.grades[h.grade!]).toBe(1);

    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'models/src/health/health-main.ts', 'recompute', LIFT, '--data-dir', lw.dir.path, '--at', new Date(h.at).toISOString(), '--records-to', String(h.recordsTo)],
        { cwd: new URL('../../', import.meta.url).pathname, timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message} ${stderr}`)) : resolve(stdout)));
    });
    const recomputed = JSON.parse(out) as Health;
    expect(recomputed).toMatchObject({ at: h.at, score: h.score, grade: h.grade, components: expect.arrayContaining([expect.objectContaining({ id: 'S3', score: h.components['S3'] })]) });
    expect(recomputed.reasons[0]!.evidence).toEqual(h.reasons[0]!.evidence);
  });
});
