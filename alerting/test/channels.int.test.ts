import { afterAll, beforeAll } from 'vitest';
import { createDingtalkChannel } from '../src/channels/dingtalk.js';
import { createEmailChannel } from '../src/channels/email.js';
import { createSmsChannel } from '../src/channels/sms.js';
import { createWebhookChannel, WEBHOOK_HEADERS } from '../src/channels/webhook.js';
import { createWecomChannel } from '../src/channels/wecom.js';
import { channelContract } from './channel.contract.js';
import { hmacB64, hmacHex, startHttpReceiver, startSmtpReceiver, type Received } from './receivers.js';

const SECRET = 'whsec-test-1';
const DING_SECRET = 'SEC0123456789abcdef';
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const SMS_TOKEN = 'sms-token-1';

type Http = Awaited<ReturnType<typeof startHttpReceiver>>;
let webhook: Http, sms: Http, ding: Http, wecom: Http;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;

/** Webhook: the signature is HMAC-SHA256 of "timestamp.body" with the shared secret. */
function checkWebhook(r: Received, mode: string) {
  const ts = String(r.headers[WEBHOOK_HEADERS.timestamp]);
  if (r.headers[WEBHOOK_HEADERS.signature] !== `sha256=${hmacHex(SECRET, `${ts}.${r.raw}`)}`) return { status: 401, body: { error: 'bad signature' } };
  if (r.headers[WEBHOOK_HEADERS.idempotencyKey] !== (r.json as { idempotencyKey?: string }).idempotencyKey) return { status: 400, body: { error: 'key mismatch' } };
  return mode === 'ok' ? { status: 204, body: null } : mode === 'reject' ? { status: 410, body: { error: 'gone' } } : { status: 503, body: { error: 'busy' } };
}

/** DingTalk: /robot/send?access_token=…&timestamp=…&sign=… with sign = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
function checkDingtalk(r: Received, mode: string) {
  const ts = r.query.get('timestamp') ?? '';
  if (r.path !== '/robot/send' || r.query.get('access_token') !== 'tok') return { status: 200, body: { errcode: 300001, errmsg: 'token is not exist' } };
  if (r.query.get('sign') !== hmacB64(DING_SECRET, `${ts}\n${DING_SECRET}`) || Math.abs(Date.now() - Number(ts)) > 3_600_000) return { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } };
  const body = r.json as { msgtype?: string; markdown?: { title?: string; text?: string } };
  if (body.msgtype !== 'markdown' || !body.markdown?.title || !body.markdown.text) return { status: 200, body: { errcode: 40035, errmsg: 'missing parameter' } };
  return mode === 'ok' ? { status: 200, body: { errcode: 0, errmsg: 'ok' } } : mode === 'reject' ? { status: 200, body: { errcode: 310000, errmsg: 'keywords not in content' } } : { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } };
}

/** WeCom: /cgi-bin/webhook/send?key=… with { msgtype: "markdown", markdown: { content ≤ 4096 bytes } }. */
function checkWecom(r: Received, mode: string) {
  if (r.path !== '/cgi-bin/webhook/send' || r.query.get('key') !== WECOM_KEY) return { status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } };
  const body = r.json as { msgtype?: string; markdown?: { content?: string } };
  if (body.msgtype !== 'markdown' || !body.markdown?.content || Buffer.byteLength(body.markdown.content) > 4096) return { status: 200, body: { errcode: 40058, errmsg: 'invalid markdown' } };
  return mode === 'ok' ? { status: 200, body: { errcode: 0, errmsg: 'ok' } } : mode === 'reject' ? { status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } } : { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } };
}

function checkSms(r: Received, mode: string) {
  const body = r.json as { to?: string; text?: string; idempotencyKey?: string };
  if (r.headers.authorization !== `Bearer ${SMS_TOKEN}` || !body.to || !body.text) return { status: 401, body: { error: 'unauthorised' } };
  return mode === 'ok' ? { status: 202, body: { id: 'm1' } } : mode === 'reject' ? { status: 422, body: { error: 'invalid number' } } : { status: 502, body: { error: 'upstream' } };
}

beforeAll(async () => {
  [webhook, sms, ding, wecom, smtp] = await Promise.all([startHttpReceiver(checkWebhook), startHttpReceiver(checkSms), startHttpReceiver(checkDingtalk), startHttpReceiver(checkWecom), startSmtpReceiver()]);
});
afterAll(async () => { await Promise.all([webhook, sms, ding, wecom, smtp].map((s) => s?.close())); });

const asText = (r: Received) => JSON.stringify(r.json);
/** Quoted-printable (RFC 2045 §6.7) back to text, so the test reads the body as the crew does. */
const unQp = (raw: string) => Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');

channelContract('webhook (JSON, HMAC-SHA256, idempotency key)', () => ({
  channel: createWebhookChannel(), to: { kind: 'webhook', to: `${webhook.url}/hooks/liftwatch`, secret: SECRET }, carriesKey: true,
  setMode: (m) => { webhook.state.mode = m; },
  received: () => webhook.received.map((r) => ({ text: asText(r), key: r.headers[WEBHOOK_HEADERS.idempotencyKey] as string })),
}));

channelContract('SMS through an HTTP gateway', () => ({
  channel: createSmsChannel({ url: `${sms.url}/send`, token: SMS_TOKEN }), to: { kind: 'sms', to: '+8613800000000' }, carriesKey: true,
  setMode: (m) => { sms.state.mode = m; },
  received: () => sms.received.map((r) => ({ text: (r.json as { text: string }).text, key: r.headers['idempotency-key'] as string })),
}));

channelContract('DingTalk group robot (markdown, signed)', () => ({
  channel: createDingtalkChannel(), to: { kind: 'dingtalk', to: `${ding.url}/robot/send?access_token=tok`, secret: DING_SECRET }, carriesKey: false,
  setMode: (m) => { ding.state.mode = m; },
  received: () => ding.received.map((r) => ({ text: (r.json as { markdown: { text: string } }).markdown.text, key: undefined })),
}));

channelContract('WeCom group robot (markdown)', () => ({
  channel: createWecomChannel(), to: { kind: 'wecom', to: `${wecom.url}/cgi-bin/webhook/send?key=${WECOM_KEY}` }, carriesKey: false,
  setMode: (m) => { wecom.state.mode = m; },
  received: () => wecom.received.map((r) => ({ text: (r.json as { markdown: { content: string } }).markdown.content, key: undefined })),
}));

channelContract('e-mail over SMTP (nodemailer → smtp-server)', () => ({
  channel: createEmailChannel({ smtpUrl: smtp.smtpUrl }), to: { kind: 'email', to: 'crew@example.org' }, carriesKey: true,
  setMode: (m) => { smtp.state.mode = m; },
  received: () => smtp.messages.map((m) => ({ text: unQp(m.raw), key: /^Message-ID: <(.+)@liftwatch>/im.exec(m.raw)?.[1] })),
}));
