import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic, type AlertDetail, type AlertView, type DeadLetterTerminalView, type DeadLetterView, type LiftSummary } from '@liftwatch/contract';
import { mosquittoPub } from '@liftwatch/test-kit';
import { credentials, startTestLiftwatch, terminal } from './helpers.js';

type ApiError = { error: { code: string; message: string } };

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
const now = Date.now();
const rec = <T extends object>(base: T, liftId: string, seq: number, over: Partial<T> = {}) => ({ ...base, liftId, seq, ts: now + seq, ...over });

beforeAll(async () => {
  lw = await startTestLiftwatch();
  client = await terminal(lw, 'E2E-A');
});
afterAll(async () => {
  await client?.endAsync();
  await lw?.stop();
});

const api = <T>(path: string) => lw.get<T>(`${path}`);

describe('from a terminal\'s publish to an alert a crew sees', () => {
  it('stores a record before the broker acknowledges it (mqtt.js, QoS 1)', async () => {
    await client.publishAsync(liftTopic('E2E-A', 'registry'), JSON.stringify(rec(GOLDEN.registry, 'E2E-A', 1)), { qos: 1 });
    await client.publishAsync(liftTopic('E2E-A', 'status'), JSON.stringify(rec(GOLDEN.status, 'E2E-A', 2, { speedMps: 0, direction: 'none', doorZone: true })), { qos: 1 });
    // No waiting: PUBACK means committed.
    const lift = await api<LiftSummary>('/api/lifts/E2E-A');
    expect(lift.recordsTotal).toBe(2);
    expect(lift.status?.seq).toBe(2);
    expect(lift.registry?.ratedSpeedMps).toBe(1.75);
  });

  it('takes records from mosquitto_pub, a client written by someone else', async () => {
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-B', 'status'), message: JSON.stringify(rec(GOLDEN.status, 'E2E-B', 10, { floor: 3 })), ...(await credentials(lw, 'E2E-B')) });
    const lift = await api<LiftSummary>('/api/lifts/E2E-B');
    expect(lift.status?.floor).toBe(3);
  });

  it('opens an entrapment alert for an alarm button pressed, sent by mosquitto_pub', async () => {
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-B', 'alarm'), message: JSON.stringify(rec(GOLDEN.alarm, 'E2E-B', 11, { floor: 3 })), ...(await credentials(lw, 'E2E-B')) });
    const { alerts } = await api<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=E2E-B');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ code: 'E01', severity: 'P1', state: 'open', reason: 'Alarm button pressed in the car at floor 3' });
  });

  it('opens a P1 alert for a car moving with its door open, with the record behind it as evidence', async () => {
    await client.publishAsync(liftTopic('E2E-A', 'status'), JSON.stringify(rec(GOLDEN.status, 'E2E-A', 3, { speedMps: -0.4, direction: 'down', doorZone: false, carDoor: 'open' })), { qos: 1 });
    const { alerts } = await api<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=E2E-A');
    expect(alerts.map((a) => a.code)).toEqual(['E02']);
    const detail = await api<AlertDetail>(`/api/alerts/${alerts[0]!.id}`);
    expect(detail.reason).toMatch(/Car moving at -0.40 m\/s with car door open at floor 7 outside the door zone/);
    expect(detail.evidence[0]?.evidence).toMatchObject({ liftId: 'E2E-A', stream: 'status', seq: 3, values: { carDoor: 'open', doorZone: false } });
    expect(detail.audit[0]).toMatchObject({ action: 'opened', actor: 'system' });
    const { records } = await api<{ records: Array<{ seq: number }> }>('/api/lifts/E2E-A/records?stream=status');
    expect(records.map((r) => r.seq)).toContain(3);
  });

  it('opens an overspeed alert against the rated speed the registry gave', async () => {
    await client.publishAsync(liftTopic('E2E-A', 'status'), JSON.stringify(rec(GOLDEN.status, 'E2E-A', 4, { speedMps: 2.3 })), { qos: 1 });
    const { alerts } = await api<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=E2E-A');
    expect(alerts.find((a) => a.code === 'E04')?.reason).toMatch(/2.30 m\/s .* above 1.15 × rated 1.75 m\/s = 2.01 m\/s/);
  });

  it('keeps malformed JSON and a wrong-shaped record as dead letters with reasons, and stores the valid records beside them', async () => {
    const before = (await api<LiftSummary>('/api/lifts/E2E-A')).recordsTotal;
    await client.publishAsync(liftTopic('E2E-A', 'door'), '{"floor": 3, "openS": 2.', { qos: 1 });
    const good = rec(GOLDEN.door, 'E2E-A', 20);
    const wrong = rec(GOLDEN.door, 'E2E-A', 21, { closeS: 'slow' as unknown as number });
    await client.publishAsync(liftTopic('E2E-A', 'door'), JSON.stringify([good, wrong, rec(GOLDEN.door, 'E2E-A', 22)]), { qos: 1 });
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-A', 'trip'), message: '{"nonsense": true}', ...(await credentials(lw, 'E2E-A', 'T-E2E-A3')) });

    const { deadLetters, total } = await api<{ deadLetters: DeadLetterView[]; total: number }>('/api/dead-letters');
    expect(total).toBe(3);
    expect(deadLetters).toHaveLength(3);
    const [trip, shape, json] = deadLetters;
    expect(json).toMatchObject({ code: 'LW_ERR_PAYLOAD_NOT_JSON', topic: 'lift/v1/E2E-A/door', rawText: '{"floor": 3, "openS": 2.', clientId: 'T-E2E-A' });
    expect(shape).toMatchObject({ code: 'LW_ERR_PAYLOAD_INVALID', reason: expect.stringContaining('record 1: door.closeS: expected number, got "slow"') });
    expect(trip?.reason).toMatch(/trip\.nonsense: is not a field of trip|is required but missing/);
    expect((await api<LiftSummary>('/api/lifts/E2E-A')).recordsTotal).toBe(before + 2);
  });

  it('rejects a huge payload as a dead letter that keeps its first 4 KiB (deadLetterKeepBytes), and the terminal stays connected', async () => {
    const huge = JSON.stringify({ ...rec(GOLDEN.device, 'E2E-A', 30), fwVersion: 'x'.repeat(300_000) });
    await client.publishAsync(liftTopic('E2E-A', 'device'), huge, { qos: 1 });
    const { deadLetters } = await api<{ deadLetters: DeadLetterView[] }>('/api/dead-letters?limit=1');
    expect(deadLetters[0]).toMatchObject({ code: 'LW_ERR_PAYLOAD_TOO_LARGE', sizeBytes: huge.length, reason: expect.stringContaining(`payload is ${huge.length} bytes`) });
    expect(Buffer.from(deadLetters[0]!.rawBase64, 'base64').length).toBe(4096);
    expect(client.connected).toBe(true);
  });

  it('says which terminal sends messages that cannot be stored, with its last reason (GET /api/dead-letters/terminals)', async () => {
    const { terminals } = await api<{ terminals: DeadLetterTerminalView[] }>('/api/dead-letters/terminals');
    expect(terminals.find((t) => t.clientId === 'T-E2E-A')).toMatchObject({
      kept: 3, rejectedSinceStart: 3, overQuota: false, lastCode: 'LW_ERR_PAYLOAD_TOO_LARGE', summary: expect.stringMatching(/^terminal T-E2E-A sends messages that cannot be stored: 3 dead letters kept/),
    });
  });

  it('stores a replayed record once and counts the replay', async () => {
    const before = (await api<LiftSummary>('/api/lifts/E2E-A')).recordsTotal;
    const same = JSON.stringify(rec(GOLDEN.door, 'E2E-A', 20));
    await client.publishAsync(liftTopic('E2E-A', 'door'), same, { qos: 1 });
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-A', 'door'), message: same, ...(await credentials(lw, 'E2E-A', 'T-E2E-A2')) });
    expect((await api<LiftSummary>('/api/lifts/E2E-A')).recordsTotal).toBe(before);
    const stats = await api<{ ingest: { duplicates: number } }>('/api/stats');
    expect(stats.ingest.duplicates).toBeGreaterThanOrEqual(2);
  });

  it('stores a late, out-of-order record in its place without letting it rewind the lift\'s latest status', async () => {
    const before = await api<LiftSummary>('/api/lifts/E2E-B');
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-B', 'status'), message: JSON.stringify(rec(GOLDEN.status, 'E2E-B', 41, { floor: 9, ts: now + 10_000 })), ...(await credentials(lw, 'E2E-B')) });
    await mosquittoPub({ port: lw.mqttPort, topic: liftTopic('E2E-B', 'status'), message: JSON.stringify(rec(GOLDEN.status, 'E2E-B', 40, { floor: 8, ts: now + 5_000 })), ...(await credentials(lw, 'E2E-B')) });
    const after = await api<LiftSummary>('/api/lifts/E2E-B');
    expect(after.recordsTotal).toBe(before.recordsTotal + 2);
    expect(after.status).toMatchObject({ seq: 41, floor: 9 });
    const { records } = await api<{ records: Array<{ seq: number }> }>('/api/lifts/E2E-B/records?stream=status&limit=2');
    expect(records.map((r) => r.seq)).toEqual([41, 40]);
  });

  it('counts a repeated condition on the one open alert instead of opening another', async () => {
    const b = await terminal(lw, 'E2E-B', 'T-E2E-B2');
    await b.publishAsync(liftTopic('E2E-B', 'alarm'), JSON.stringify(rec(GOLDEN.alarm, 'E2E-B', 12, { kind: 'intercom' })), { qos: 1 });
    await b.endAsync();
    const { alerts } = await api<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=E2E-B');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.occurrences).toBe(2);
  });

  it('moves an alert through acknowledge, on site and resolve, and refuses a move back', async () => {
    const { alerts } = await api<{ alerts: AlertView[] }>('/api/alerts?state=active&liftId=E2E-B');
    const id = alerts[0]!.id;
    const post = (action: string, body: unknown) => lw.fetch(`/api/alerts/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('acknowledge', { actor: 'crew-7', note: 'on the way' })).status).toBe(200);
    expect((await post('on-site', { actor: 'crew-7' })).status).toBe(200);
    expect(((await (await post('resolve', { actor: 'crew-7', note: 'released 1 person' })).json()) as AlertView).state).toBe('resolved');
    const back = await post('acknowledge', { actor: 'crew-7' });
    expect(back.status).toBe(400);
    expect(((await back.json()) as ApiError).error.code).toBe('LW_ERR_REQUEST_INVALID');
    const missingActor = await post('resolve', {});
    expect(missingActor.status).toBe(400);
  });

  it('answers an unknown lift and a wrong query with a clear error', async () => {
    const res = await lw.fetch(`/api/lifts/NOPE-1`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ApiError).error).toMatchObject({ code: 'LW_ERR_NOT_FOUND', message: expect.stringContaining('NOPE-1') });
    const bad = await lw.fetch(`/api/alerts?state=sleeping`);
    expect(bad.status).toBe(400);
  });

  it('serves chart series, daily counts and a district\'s latest status from the telemetry store', async () => {
    const from = now - 60_000;
    const series = await api<{ buckets: Array<{ t: number; min: number; max: number; mean: number; count: number }> }>(`/api/lifts/E2E-A/series?stream=door&field=closeS&from=${from}&to=${now + 60_000}&bucketMs=60000`);
    expect(series.buckets.reduce((n, b) => n + b.count, 0)).toBe(2);
    expect(series.buckets.every((b) => b.min === GOLDEN.door.closeS && b.max === GOLDEN.door.closeS)).toBe(true);
    const daily = await api<{ counts: Array<{ count: number }> }>('/api/lifts/E2E-A/daily-counts?stream=door');
    expect(daily.counts.reduce((n, c) => n + c.count, 0)).toBe(2);
    // A district's lifts are those the platform's registry puts there (set by an admin), not those whose terminal claims it.
    expect((await api<{ lifts: unknown[] }>(`/api/districts/${GOLDEN.registry.areaCode}/status`)).lifts).toEqual([]);
    expect((await lw.fetch('/api/lift-registry/E2E-A', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: GOLDEN.registry.areaCode }) })).status).toBe(200);
    const district = await api<{ lifts: Array<{ liftId: string; status: { seq: number } | null }> }>(`/api/districts/${GOLDEN.registry.areaCode}/status`);
    expect(district.lifts.map((l) => [l.liftId, l.status?.seq])).toEqual([['E2E-A', 4]]);
    const bad = await lw.fetch(`/api/lifts/E2E-A/series?stream=door&field=closeS&from=${now}&to=${from}&bucketMs=60000`);
    expect(bad.status).toBe(400);
  });

  it('exposes Prometheus metrics: records, rejections by reason, batches, event-loop lag, memory', async () => {
    const text = await (await lw.fetch(`/metrics`)).text();
    expect(text).toMatch(/^liftwatch_ingest_rejected_total\{code="LW_ERR_PAYLOAD_NOT_JSON"\} 1$/m);
    expect(text).toMatch(/^liftwatch_ingest_duplicates_total [1-9]/m);
    expect(Number(/^liftwatch_ingest_records_stored_total (\d+)/m.exec(text)?.[1])).toBeGreaterThan(5);
    expect(text).toMatch(/^liftwatch_store_batch_records_count [1-9]/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).toMatch(/^liftwatch_mqtt_outgoing_dropped_total 0$/m); // no subscriber fell behind
    expect(text).toMatch(/^# TYPE liftwatch_mqtt_disconnected_for_limit_total counter$/m);
  });

  it('lists both lifts on the API the page uses', async () => {
    const { lifts } = await api<{ lifts: LiftSummary[] }>('/api/lifts');
    expect(lifts.map((l) => l.liftId)).toEqual(['E2E-A', 'E2E-B']);
  });
});
