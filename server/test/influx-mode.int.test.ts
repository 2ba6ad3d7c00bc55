import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic, type AlertView, type LiftSummary } from '@liftwatch/contract';
import { startInfluxDb, type RunningServer } from '@liftwatch/test-kit/servers';
import { startTestLiftwatch, terminal } from './helpers.js';

let influx: RunningServer;
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
beforeAll(async () => {
  influx = await startInfluxDb('liftwatch');
  lw = await startTestLiftwatch({ telemetry: 'influxdb', influxUrl: influx.url, influxWriteApi: 'v1' });
  client = await terminal(lw, 'INF-1');
});
afterAll(async () => {
  await client?.endAsync();
  await lw?.stop();
  await influx?.stop();
});

describe('the all-in-one process with InfluxDB as its telemetry store', () => {
  it('acknowledges a record once InfluxDB has it, serves it back through the API, and still alerts first', async () => {
    const ts = Date.now();
    await client.publishAsync(liftTopic('INF-1', 'door'), JSON.stringify([1, 2, 3].map((i) => ({ ...GOLDEN.door, liftId: 'INF-1', seq: i, ts: ts + i, closeS: 3 + i / 10 }))), { qos: 1 });
    await client.publishAsync(liftTopic('INF-1', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'INF-1', seq: 4, ts: ts + 4 }), { qos: 1 });
    const { records } = await lw.get<{ records: Array<{ stream: string; seq: number; record: { closeS?: number } }> }>(`/api/lifts/INF-1/records?stream=door`);
    expect(records.map((r) => [r.seq, r.record.closeS])).toEqual([[3, 3.3], [2, 3.2], [1, 3.1]]);
    expect((await lw.get<LiftSummary>(`/api/lifts/INF-1`)).recordsTotal).toBe(4);
    const { alerts } = await lw.get<{ alerts: AlertView[] }>(`/api/alerts?state=active&liftId=INF-1`);
    expect(alerts.map((a) => a.code)).toEqual(['E01']);
  });
});
