import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GOLDEN, liftTopic, type AlertView } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch, terminal } from './helpers.js';

/**
 * Notifications speak the recipient's language: a person who set nothing reads Chinese (the default),
 * one who chose English reads English; each names the lift (the name its terminal reported, the
 * address the platform's registry holds over the terminal's), gives the time in Shanghai and links
 * to the alert in the console. Through the real all-in-one process and a real SMS gateway receiver.
 */
const texts: Array<{ to: string; text: string }> = [];
const gateway = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => { raw += c.toString(); });
  req.on('end', () => {
    texts.push(JSON.parse(raw) as { to: string; text: string });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
const put = async (path: string, body: unknown, method = 'PUT') => {
  const res = await lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
/** `ms` as a clock in Shanghai reads it (UTC+8, no daylight saving), worked out without the code under test. */
const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  lw = await startTestLiftwatch({ alertSmsUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`, consoleUrl: 'https://lifts.example.org' });
  client = await terminal(lw, 'LANG-1');
  await put('/api/organisations/mu-lang', { kind: 'maintenanceUnit', name: '文三维保', roles: {} });
  await put('/api/people/wang', { name: '王伟', orgId: 'mu-lang', channels: [{ kind: 'sms', to: '+8613800000001' }] });
  await put('/api/people/smith', { name: 'J. Smith', orgId: 'mu-lang', channels: [{ kind: 'sms', to: '+8613800000002' }], language: 'en' });
  await put('/api/crew-lifts/LANG-1', { maintenanceUnit: 'mu-lang' });
  const now = Date.now();
  await put('/api/rota', { unitId: 'mu-lang', startsAt: now - 60_000, endsAt: now + 3_600_000, primary: 'wang', backup: 'smith' }, 'POST');
  await put('/api/escalation-policies/mu-lang/P1', { name: 'both', reminder: null, steps: [{ afterS: 0, unless: 'acknowledged', notify: ['primary', 'backup'], label: 'P1' }] });
  // The terminal reports a name and an address; the platform's registry has its own address, which wins.
  const registry = { ...GOLDEN.registry, liftId: 'LANG-1', seq: 1, ts: now, name: '3 号楼东梯', address: '终端上报的旧地址' };
  await client.publishAsync(liftTopic('LANG-1', 'registry'), JSON.stringify(registry), { qos: 1 });
  await waitFor('the lift\'s profile', async () => (await lw.get<{ registry: unknown }>('/api/lifts/LANG-1')).registry);
  await put('/api/lift-registry/LANG-1', { address: '杭州市西湖区文三路 12 号' });
});
afterAll(async () => {
  await client?.endAsync();
  await lw?.stop();
  await new Promise<void>((r) => gateway.close(() => r()));
});

describe('notifications in the recipient\'s language', () => {
  it('tells a Chinese reader in Chinese, with the lift\'s name, address, Shanghai time and a link; an English reader in English', async () => {
    await client.publishAsync(liftTopic('LANG-1', 'alarm'), JSON.stringify({ ...GOLDEN.alarm, liftId: 'LANG-1', seq: 2, ts: Date.now(), kind: 'button', floor: 3 }), { qos: 1 });
    const zh = await waitFor('the SMS to Wang', () => texts.find((t) => t.to === '+8613800000001'));
    const en = await waitFor('the SMS to Smith', () => texts.find((t) => t.to === '+8613800000002'));
    const alert = (await lw.get<{ alerts: AlertView[] }>('/api/alerts?liftId=LANG-1')).alerts[0]!;

    expect(zh.text).toContain('轿厢内按下报警按钮，3 层');
    expect(zh.text).toContain('困人');
    expect(zh.text).toContain('3 号楼东梯');
    expect(zh.text).toContain('杭州市西湖区文三路 12 号');
    expect(zh.text).toContain(`${shanghai(alert.openedAt)}`);
    expect(zh.text).toContain('Asia/Shanghai');
    expect(zh.text).toContain(`https://lifts.example.org/#/alert/${alert.id}`);
    expect(zh.text).not.toContain('Alarm button pressed');
    expect(zh.text).not.toContain('终端上报的旧地址');

    expect(en.text).toContain('Alarm button pressed in the car at floor 3');
    expect(en.text).toContain('Entrapment');
    expect(en.text).toContain(shanghai(alert.openedAt));
    expect(en.text).toContain(`https://lifts.example.org/#/alert/${alert.id}`);
    expect(en.text).not.toContain('困人');
  });
});
