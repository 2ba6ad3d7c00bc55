import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeMessage } from '@liftwatch/contract';
import { startExchangeReceiver, tempDir, waitFor, type ExchangeReceiver } from '@liftwatch/test-kit';
import { makeConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';
import { authed, login, TEST_ADMIN_PASSWORD, type Authed } from './helpers.js';

/**
 * The government exchange through the real server: the registry and a 96333 rescue reach a local
 * HTTPS platform that checks the token, the idempotency key and each body against the exchange
 * schema; while the platform is down the messages wait in the outbox, through a restart of
 * liftwatch, and are delivered once when it is back.
 */
const TOKEN = 'gov-secret';
const LINE = 'line-secret';
const dir = tempDir();
let platform: ExchangeReceiver;
beforeAll(async () => { platform = await startExchangeReceiver(dir.path, TOKEN); });
afterAll(async () => { await platform?.close(); dir.remove(); });

async function start(): Promise<Running & Authed> {
  const running = await startLiftwatch(makeConfig({
    host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: `${dir.path}/data`, adminPassword: TEST_ADMIN_PASSWORD, models: false,
    exchangeUrl: platform.url, exchangeToken: TOKEN, exchangeCaFile: platform.caFile, exchangeRetryFirstS: 0.2, exchangeRetryMaxS: 1, rescueLineToken: LINE,
  }));
  return { ...running, ...authed(running.httpUrl, await login(running.httpUrl, 'admin', TEST_ADMIN_PASSWORD)) };
}
const json = (body: unknown, token = LINE) => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('government exchange through the server', () => {
  it('delivers the registry and a rescue line\'s call; keeps them through a platform outage and a restart; delivers each once; counts the rescue', async () => {
    let lw = await start();
    try {
      const put = await lw.fetch('/api/lift-registry/EX-1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaCode: '330106' }) });
      expect(put.status).toBe(200);
      const lift = await waitFor('the lift at the platform', () => platform.ofType('lift').find((m) => m.subject === 'EX-1'));
      expect(lift.data).toMatchObject({ optype: 'UPLOAD', areaCode: '330106' });

      platform.fail(503);
      const call = await fetch(`${lw.httpUrl}/api/rescue-line/calls`, json({ liftId: 'EX-1', externalId: 'C-77', note: 'one person' }));
      expect(call.status).toBe(201);
      const { call: { id } } = (await call.json()) as { call: { id: number } };
      expect((await fetch(`${lw.httpUrl}/api/rescue-line/calls/${id}/stages`, json({ stage: 'dispatched' }))).status).toBe(200);
      const failing = await waitFor('sends failing', async () => {
        const s = await lw.get<{ backlog: { pending: number; failing: number } }>('/api/exchange/status');
        return s.backlog.failing > 0 && s.backlog.pending > 0 && s;
      });
      expect(failing).toMatchObject({ enabled: true, types: ['lift', 'fault', 'rescue', 'maintenance'] });
      const [waiting] = (await lw.get<{ messages: Array<{ id: number; lastStatus: number; lastError: string; type: string }> }>('/api/exchange/outbox?state=pending&subject=EX-1')).messages;
      expect(waiting).toMatchObject({ type: 'rescue', lastStatus: 503, lastError: expect.stringMatching(/the platform answered 503/) });
      const metrics = await (await fetch(`${lw.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(/liftwatch_exchange_messages\{state="failing"\} [1-9]/);
      expect(metrics).toMatch(/liftwatch_exchange_oldest_pending_seconds [0-9.]+/);
      await lw.close();

      platform.fail(null);
      lw = await start();
      const rescue = await waitFor('the rescue at the platform after the restart', () => {
        const r = platform.ofType('rescue').filter((m) => m.subject === 'EX-1').sort((a, b) => b.version - a.version)[0];
        return r?.data.stateCode === '02' && r;
      });
      expect(rescue.data).toMatchObject({ source: 'rescueLine', calls: [{ line: '96333', externalId: 'C-77' }], dispatchedAt: expect.any(Number), onSiteAt: null });
      await waitFor('an empty backlog', async () => (await lw.get<{ backlog: { pending: number } }>('/api/exchange/status')).backlog.pending === 0);
      expect(platform.invalid).toEqual([]);
      expect(new Set(platform.deliveries).size).toBe(platform.deliveries.length);
      const body = await lw.get<{ body: ExchangeMessage }>(`/api/exchange/outbox/${waiting!.id}`);
      expect(body.body.idempotencyKey).toBe(platform.received.get(body.body.idempotencyKey)?.idempotencyKey);

      // The regulator's statistics count the rescue of this month (Shanghai time), still waiting for a crew on site.
      const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
      const stats = await lw.get<{ months: Array<{ month: string; lifts: number; failures: number; entrapments: number; rescue: { response: { n: number } } }> }>(`/api/statistics/monthly?from=${month}&to=${month}`);
      expect(stats.months).toMatchObject([{ month, lifts: 1, failures: 1, entrapments: 1, rescue: { response: { n: 1 } } }]);
      const list = await lw.get<{ items: Array<{ liftId: string; responseMin: number }> }>(`/api/statistics/months/${month}/entrapments`);
      expect(list.items).toMatchObject([{ liftId: 'EX-1', responseMin: expect.any(Number) }]);
    } finally {
      await lw.close();
    }
  });
});
