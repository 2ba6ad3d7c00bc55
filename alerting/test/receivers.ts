import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Mode = 'ok' | 'reject' | 'down';
export interface Received { path: string; query: URLSearchParams; headers: IncomingMessage['headers']; raw: string; json: unknown }

/**
 * A real HTTP server on a random loopback port standing in for a webhook receiver, an SMS gateway,
 * or the DingTalk / WeCom robot endpoints. `check` validates the documented format and signature of
 * each request and answers as the real service would; `mode` makes it refuse or fail.
 */
export async function startHttpReceiver(check: (r: Received, mode: Mode) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const state = { mode: 'ok' as Mode, delayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      let json: unknown;
      try { json = JSON.parse(raw); } catch { json = undefined; }
      const r: Received = { path: url.pathname, query: url.searchParams, headers: req.headers, raw, json };
      const answer = check(r, state.mode);
      if (answer.status < 300 && state.mode === 'ok') received.push(r);
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body)), state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, state, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

export const hmacHex = (secret: string, msg: string) => createHmac('sha256', secret).update(msg).digest('hex');
export const hmacB64 = (secret: string, msg: string) => createHmac('sha256', secret).update(msg).digest('base64');

/** A real SMTP server (the smtp-server package) on a random loopback port; 'reject' answers 550, 'down' 451. */
export async function startSmtpReceiver() {
  const messages: Array<{ from: string; to: string[]; raw: string }> = [];
  const state = { mode: 'ok' as Mode };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, cb) {
      if (state.mode === 'reject') { const e = new Error('mailbox unavailable') as Error & { responseCode: number }; e.responseCode = 550; cb(e); return; }
      if (state.mode === 'down') { const e = new Error('try again later') as Error & { responseCode: number }; e.responseCode = 451; cb(e); return; }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, smtpUrl: `smtp://127.0.0.1:${port}`, messages, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
