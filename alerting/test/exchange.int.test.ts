import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startExchangeReceiver, tempDir, type ExchangeReceiver } from '@liftwatch/test-kit';
import { createAlerting } from '../src/alerting.js';
import { createExchangeClient } from '../src/exchange/client.js';
import { createExchange } from '../src/exchange/exchange.js';
import { envelopeOf } from '../src/exchange/payloads.js';
import { DEFAULT_RESCUE_LIMITS } from '../src/exchange/stages.js';
import { createRescueLine } from '../src/rescue-line.js';
import { MODES, openTestState, stopTestPostgres, testDatabase, type Mode } from './test-state.js';

/**
 * The exchange over the state store in both modes, against a local HTTPS platform that checks the
 * token, the idempotency key and every body against the exchange schema. The clock is the test's.
 */
const TOKEN = 'gov-token-1';
const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0); // 10:00 in Shanghai
const dir = tempDir('liftwatch-exchange-');
let platform: ExchangeReceiver;
beforeAll(async () => { platform = await startExchangeReceiver(dir.path, TOKEN); });
afterAll(async () => { await platform?.close(); await stopTestPostgres(); dir.remove(); });

let t = T0;
const now = () => t;
let where: { file: string; url?: string };
let files = 0;

/** A node: alerting, the rescue line and the exchange on the test's state (again after a close: a restart). */
async function node(mode: Mode) {
  const s = await openTestState(mode, where, now);
  const alerting = createAlerting({ state: s.state, now, queue: s.queue, backend: { soleNode: s.soleNode } });
  const rescue = createRescueLine({ state: s.state, alerting, limits: DEFAULT_RESCUE_LIMITS, now });
  const exchange = createExchange(s.state, {
    client: { url: platform.url, token: TOKEN, ca: readFileSync(platform.caFile), timeoutMs: 5_000 },
    types: new Set(['lift', 'fault', 'rescue', 'maintenance']), timeZone: 'Asia/Shanghai', limits: DEFAULT_RESCUE_LIMITS,
    retryFirstMs: 5_000, retryMaxMs: 10 * MIN, keepDays: 30, now,
  });
  return { alerting, rescue, exchange, state: s.state, close: async () => { await exchange.close(); await alerting.close(); await s.close(); } };
}

describe.each(MODES)('government exchange: %s', (_name, mode) => {
  beforeEach(async () => {
    t = T0;
    platform.reset();
    where = { file: join(dir.path, `state-${++files}.db`), ...(mode === 'postgres' ? { url: await testDatabase() } : {}) };
  });

  it('a call names its lift by registration code or by the rescue code on the car\'s sign; an unknown, shared or missing code is refused with what to send', async () => {
    const a = await node(mode);
    try {
      await a.state.liftRegistry.put([
        { liftId: 'RC-1', registrationCode: '31103301062012000123', rescueCode: '330101' },
        { liftId: 'RC-2', rescueCode: '330102' }, { liftId: 'RC-3', rescueCode: '330102' },
      ], 'admin', T0);
      const byCode = await a.rescue.receive({ registrationCode: '31103301062012000123', line: '96333', note: '' }, 'rescue-line');
      expect(byCode.call).toMatchObject({ liftId: 'RC-1', alertState: 'open' });
      const bySign = await a.rescue.receive({ rescueCode: '330101', line: '96333', externalId: 'C-9', note: 'floor 2' }, 'rescue-line');
      expect(bySign.call).toMatchObject({ liftId: 'RC-1', alertId: byCode.call.alertId }); // the same entrapment
      await expect(a.rescue.receive({ rescueCode: '999999', line: '96333', note: '' }, 'rescue-line')).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND', message: expect.stringMatching(/no lift in the registry has rescue code 999999/) });
      await expect(a.rescue.receive({ rescueCode: '330102', line: '96333', note: '' }, 'rescue-line')).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/on 2 lifts \(RC-2, RC-3\)/) });
      await expect(a.rescue.receive({ line: '96333', note: '' }, 'rescue-line')).rejects.toMatchObject({ code: 'LW_ERR_REQUEST_INVALID' });
    } finally {
      await a.close();
    }
  });

  it('a 96333 call opens the entrapment; its stages, a fault, the registry and a visit reach the platform, each message once', async () => {
    const a = await node(mode);
    try {
      await a.exchange.round(); // turned on: the feeds start here
      await a.state.liftRegistry.put([{ liftId: 'GX-1', areaCode: '330106', registrationCode: '31103301062012000123', address: '88 Wensan Rd, Hangzhou', latitude: 30.27, longitude: 120.15, type: 'traction', ratedSpeedMps: 1.75, ratedLoadKg: 1000, floors: 18, installDate: '2012-05-01' }], 'admin', T0);
      const { call } = await a.rescue.receive({ liftId: 'GX-1', line: '96333', externalId: 'C-1', receivedAt: T0 - 30_000, note: 'two people, floor 5' }, 'rescue-line');
      expect(call).toMatchObject({ alertState: 'open', stages: { alarmAt: T0 - 30_000, dispatchedAt: null } });
      await a.exchange.round();
      t = T0 + 40_000;
      await a.alerting.transition(call.alertId, 'acknowledged', 'crew-1'); // the crew accepts in the console: dispatched
      await a.exchange.round();
      t = T0 + 12 * MIN;
      await a.rescue.stage(call.id, { stage: 'onSite', at: T0 + 11 * MIN, note: '' }, 'rescue-line');
      await a.exchange.round();
      t = T0 + 20 * MIN;
      await a.rescue.stage(call.id, { stage: 'released', note: 'both out' }, 'rescue-line');
      const door = await a.alerting.raise({ liftId: 'GX-1', code: 'E09', reason: 'door held open 3 min', evidence: { liftId: 'GX-1', stream: 'door', seq: 5, ts: t, values: {} } });
      await a.alerting.transition(door.alert!.id, 'resolved', 'crew-1', '', { outcome: 'confirmed', component: 'doorOperator' });
      await a.alerting.crews.checkIn('GX-1', 'tech-1');
      t += 45 * MIN;
      await a.alerting.crews.checkOut('GX-1', 'tech-1');
      await a.exchange.round();

      expect(platform.invalid).toEqual([]);
      const rescues = platform.ofType('rescue').filter((m) => m.subject === 'GX-1').sort((x, y) => x.version - y.version);
      // One message a round, each the whole rescue as it stood: occurred, responded (dispatched), arrived, completed.
      expect(rescues.map((m) => m.data.stateCode)).toEqual(['01', '02', '04', '00']);
      // Alarm 09:59:30 (the call), dispatched 10:00:40, on site 10:11, released 10:20: arrival 11.5 min, within 30.
      expect(rescues.at(-1)!.data).toMatchObject({
        source: 'rescueLine', alarmAt: T0 - 30_000, dispatchedAt: T0 + 40_000, onSiteAt: T0 + 11 * MIN, releasedAt: T0 + 20 * MIN,
        arrivalLimitMin: 30, arrivalMin: 11.5, arrivedInTime: true, calls: [{ line: '96333', externalId: 'C-1', receivedAt: T0 - 30_000 }],
      });
      expect(rescues[0]!.data).toMatchObject({ dispatchedAt: null, arrivalMin: null, arrivedInTime: null });
      expect(platform.ofType('fault').filter((m) => m.subject === 'GX-1').map((m) => [m.data.code, m.data.gbCode2017, m.data.govCode15, m.data.state])).toEqual([['E09', '03', 11, 'occurred'], ['E09', '03', 11, 'cleared']]);
      expect(platform.ofType('lift').filter((m) => m.subject === 'GX-1').map((m) => [m.data.optype, m.data.areaCode, m.occurredAtLocal])).toEqual([['UPLOAD', '330106', '2026-03-01 10:00:00']]);
      // the registry's master data goes with it, as the platform's lift record asks
      expect(platform.ofType('lift').find((m) => m.subject === 'GX-1')!.data).toMatchObject({
        registrationCode: '31103301062012000123', address: '88 Wensan Rd, Hangzhou', latitude: 30.27, longitude: 120.15, liftType: 'traction', ratedSpeedMps: 1.75, ratedLoadKg: 1000, floors: 18, installedOn: '2012-05-01',
      });
      expect(platform.ofType('maintenance').filter((m) => m.subject === 'GX-1').map((m) => [m.data.technician, m.data.source, m.data.endedAt - m.data.startedAt])).toEqual([['tech-1', 'checkIn', 45 * MIN]]);
      const keys = platform.deliveries.filter((k) => platform.received.get(k)?.subject === 'GX-1');
      expect(new Set(keys).size).toBe(keys.length);
      expect(await a.state.outbox.backlog()).toMatchObject({ pending: 0, rejected: 0 });
    } finally {
      await a.close();
    }
  });

  it('while the platform is down messages wait with backoff, across a restart, and go out once when it is back', async () => {
    let a = await node(mode);
    await a.exchange.round();
    platform.fail(503);
    await a.state.liftRegistry.put([{ liftId: 'GX-2', areaCode: '330106' }, { liftId: 'GX-3', areaCode: '330108' }], 'admin', T0);
    await a.rescue.receive({ liftId: 'GX-2', line: '96333', externalId: 'C-2', note: '' }, 'rescue-line');
    await a.exchange.round();
    const waiting = await a.state.outbox.list({ state: 'pending', limit: 100 });
    expect(waiting.length).toBe(3); // two lifts, and the entrapment (opened by the call: one message)
    expect(waiting.every((m) => m.attempts === 1 && m.nextAttemptAt === T0 + 5_000 && m.lastStatus === 503)).toBe(true);
    t = T0 + 5_000;
    await a.exchange.round();
    expect((await a.state.outbox.list({ state: 'pending', limit: 100 })).map((m) => m.nextAttemptAt)).toEqual(Array(3).fill(T0 + 15_000)); // 5 s, then 10 s
    expect(await a.state.outbox.backlog()).toMatchObject({ pending: 3, failing: 3, delivered: 0, oldestPendingAt: T0 });
    await a.close();

    platform.fail(null);
    t = T0 + 16_000;
    a = await node(mode);
    try {
      await a.exchange.round();
      const mine = [...platform.received.values()].filter((m) => m.subject === 'GX-2' || m.subject === 'GX-3');
      expect(mine.map((m) => m.type).sort()).toEqual(['lift', 'lift', 'rescue']);
      expect(platform.deliveries.filter((k) => mine.some((m) => m.idempotencyKey === k))).toHaveLength(3);
      expect(await a.state.outbox.backlog()).toMatchObject({ pending: 0, failing: 0 });
    } finally {
      await a.close();
    }
  });

  it('a round that finds the platform down stops after one batch instead of waiting out every message', async () => {
    const a = await node(mode);
    try {
      await a.exchange.round();
      platform.fail(503);
      await a.state.liftRegistry.put(Array.from({ length: 20 }, (_, i) => ({ liftId: `GX-D-${i}`, areaCode: '330106' })), 'admin', T0);
      await a.exchange.round();
      const tries = (await a.state.outbox.list({ state: 'pending', limit: 100 })).map((m) => m.attempts);
      expect(tries.filter((n) => n === 1)).toHaveLength(8); // one batch of 8, all refused with 503
      expect(tries.filter((n) => n === 0)).toHaveLength(12);
    } finally {
      await a.close();
    }
  });

  it('a message the platform refuses waits as rejected until an admin retries it', async () => {
    const a = await node(mode);
    try {
      await a.exchange.round();
      platform.refuseType('lift');
      await a.state.liftRegistry.put([{ liftId: 'GX-4', areaCode: '330106' }], 'admin', T0);
      await a.exchange.round();
      const [rejected] = await a.state.outbox.list({ state: 'rejected', subject: 'GX-4', limit: 10 });
      expect(rejected).toMatchObject({ lastStatus: 422, attempts: 1 });
      expect(rejected!.lastError).toMatch(/the platform answered 422/);
      t = T0 + 60 * MIN;
      await a.exchange.round();
      expect(await a.state.outbox.get(rejected!.id)).toMatchObject({ state: 'rejected', attempts: 1 }); // not retried by itself
      platform.refuseType(null);
      await a.state.outbox.retry(rejected!.id, t);
      await a.exchange.round();
      expect(await a.state.outbox.get(rejected!.id)).toMatchObject({ state: 'delivered', attempts: 2, deliveredAt: t });
    } finally {
      await a.close();
    }
  });
});

describe('government exchange: several nodes on PostgreSQL', () => {
  it('two nodes feeding and sending at once deliver each message once', async () => {
    t = T0;
    platform.reset();
    where = { file: join(dir.path, `state-${++files}.db`), url: await testDatabase() };
    const [a, b] = [await node('postgres'), await node('postgres')];
    try {
      await a.exchange.round();
      await a.state.liftRegistry.put(Array.from({ length: 40 }, (_, i) => ({ liftId: `GX-M-${i}`, areaCode: '330106' })), 'admin', T0);
      await Promise.all([a.exchange.round(), b.exchange.round(), a.exchange.round(), b.exchange.round()]);
      const keys = platform.deliveries.filter((k) => platform.received.get(k)?.subject.startsWith('GX-M-'));
      expect(keys).toHaveLength(40);
      expect(new Set(keys).size).toBe(40);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('government exchange: the client', () => {
  const message = (key: string) => envelopeOf({ id: 1, idempotencyKey: key, type: 'maintenance', subject: 'GX-C', version: 1, occurredAt: T0, payload: {
    recordId: 'visit-1', liftId: 'GX-C', kind: 'visit', technician: 't', source: 'checkIn', startedAt: T0, endedAt: T0 + MIN, period: null,
  } }, 'Asia/Shanghai');

  it('gets its token with OAuth 2.0 client credentials, keeps it, and says what is wrong with bad ones', async () => {
    platform.reset();
    const ca = readFileSync(platform.caFile);
    const good = createExchangeClient({ url: platform.url, token: '', oauth: { tokenUrl: platform.tokenUrl, clientId: 'oauth-client', clientSecret: 'oauth-secret' }, ca });
    const before = platform.tokensIssued();
    expect(await good.send(message('oauth.1'))).toEqual({ kind: 'delivered', status: 200 });
    expect(await good.send(message('oauth.2'))).toEqual({ kind: 'delivered', status: 200 });
    expect(platform.tokensIssued() - before).toBe(1); // kept until it expires
    const bad = createExchangeClient({ url: platform.url, token: '', oauth: { tokenUrl: platform.tokenUrl, clientId: 'oauth-client', clientSecret: 'wrong' }, ca });
    expect(await bad.send(message('oauth.3'))).toMatchObject({ kind: 'retry', status: null, error: expect.stringMatching(/token endpoint .* answered 401 .*check exchangeClientId and exchangeClientSecret/) });
    const wrongToken = createExchangeClient({ url: platform.url, token: 'stale', ca });
    expect(await wrongToken.send(message('oauth.4'))).toMatchObject({ kind: 'retry', status: 401, error: expect.stringMatching(/check exchangeToken/) });
    const untrusted = createExchangeClient({ url: platform.url, token: TOKEN });
    expect(await untrusted.send(message('oauth.5'))).toMatchObject({ kind: 'retry', status: null, error: expect.stringMatching(/certificate/) });
    expect([...platform.received.keys()]).toEqual(['oauth.1', 'oauth.2']);
  });
});

