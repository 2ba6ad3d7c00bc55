import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestPki } from '@liftwatch/test-kit';
import { createJsonPoster, type JsonPoster } from '../src/channels/http-post.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real receiver on a random loopback port that counts the connections it was opened. */
async function receiver(handle: Handler, make: (h: (req: IncomingMessage, res: ServerResponse) => void) => Server = (h) => createServer(h)) {
  const connections = new Set<Socket>();
  let opened = 0;
  const server = make((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => handle(req, res, body));
  });
  server.on('connection', (s: Socket) => { opened++; connections.add(s); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port, opened: () => opened,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });
const poster = (options: Parameters<typeof createJsonPoster>[1] = {}): JsonPoster => {
  const p = createJsonPoster('webhook', options);
  cleanup.push(() => p.close());
  return p;
};
const start = async (handle: Handler, make?: Parameters<typeof receiver>[1]) => {
  const r = await receiver(handle, make);
  cleanup.push(() => r.close());
  return r;
};
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('JSON poster of the alert channels', () => {
  it('sends one notification after another over the same connection', async () => {
    const r = await start((_req, res) => res.writeHead(204).end());
    const p = poster();
    for (let i = 0; i < 3; i++) await p.post(`http://127.0.0.1:${r.port}/hook`, { n: i });
    expect(r.opened()).toBe(1);
  });

  it('sends again at once on a new connection when the receiver closed the kept one', async () => {
    let requests = 0;
    const got: string[] = [];
    const r = await start((req, res, body) => {
      // The second request arrives on the kept connection: the receiver drops it without an answer.
      if (++requests === 2) { req.socket.destroy(); return; }
      got.push(body);
      res.writeHead(204).end();
    });
    const p = poster();
    await p.post(`http://127.0.0.1:${r.port}/hook`, { n: 1 });
    await p.post(`http://127.0.0.1:${r.port}/hook`, { n: 2 });
    expect(got).toEqual(['{"n":1}', '{"n":2}']);
    expect(r.opened()).toBe(2);
  });

  it('refuses a redirect instead of following it, and says to give the address it points to', async () => {
    let followed = 0;
    const r = await start((req, res) => {
      if (req.url === '/moved') { followed++; res.writeHead(204).end(); return; }
      res.writeHead(307, { location: '/moved' }).end();
    });
    const err = await failure(poster().post(`http://127.0.0.1:${r.port}/hook`, {}));
    expect(err).toMatchObject({ code: 'LW_ERR_CHANNEL_REJECTED', retryable: false });
    expect((err as Error).message).toMatch(/answered 307 \(a redirect: .*give the address it points to\)/);
    expect(followed).toBe(0);
  });

  it('gives up on a receiver that does not answer within the timeout, to be retried', async () => {
    const r = await start(() => undefined);
    const err = await failure(poster({ timeoutMs: 200 }).post(`http://127.0.0.1:${r.port}/hook`, {}));
    expect(err).toMatchObject({ code: 'LW_ERR_CHANNEL_UNAVAILABLE', retryable: true });
    expect((err as Error).message).toContain('no answer within 200 ms');
  });

  it('reads an answer only up to its limit', async () => {
    const r = await start((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(1_000_000)));
    const answer = await poster({ maxAnswerBytes: 1000 }).post(`http://127.0.0.1:${r.port}/hook`, {});
    expect(answer).toBe('x'.repeat(1000));
  });

  it('sends over TLS to a receiver whose CA it trusts, and refuses one whose certificate it cannot verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liftwatch-http-post-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const pki = makeTestPki(dir);
    const r = await start((_req, res) => res.writeHead(204).end(), (h) => createTlsServer({ key: pki.server.key, cert: pki.server.cert }, h));
    const url = `https://127.0.0.1:${r.port}/hook`;
    await poster({ ca: pki.ca }).post(url, { n: 1 });
    const err = await failure(poster().post(url, { n: 2 }));
    expect(err).toMatchObject({ code: 'LW_ERR_CHANNEL_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/certificate/);
  });
});
