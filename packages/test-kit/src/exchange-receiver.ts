import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { EXCHANGE_HEADERS, ExchangeMessage } from '@liftwatch/contract';
import { makeTestPki } from './pki.js';

const checkMessage = TypeCompiler.Compile(ExchangeMessage);

export interface ExchangeReceiver {
  /** https://127.0.0.1:<port>/exchange: the exchangeUrl to give liftwatch. */
  readonly url: string;
  /** PEM of the throwaway CA that signed the receiver's certificate (exchangeCaFile). */
  readonly caFile: string;
  /** Its OAuth 2.0 token endpoint (client credentials grant): gives `token` to the client `oauth-client` with the secret `oauth-secret`. */
  readonly tokenUrl: string;
  /** Tokens it issued at its token endpoint. */
  readonly tokensIssued: () => number;
  /** Messages taken, by idempotency key (a resend with the same key is counted, not added). */
  readonly received: Map<string, ExchangeMessage>;
  /** Requests answered 2xx, with their key, in order: a key twice is a resend. */
  readonly deliveries: string[];
  /** Requests refused because the body, the token or the key was wrong, with the reason. */
  readonly invalid: string[];
  /** From now on answer every message with `status` (e.g. 503: the platform is down); null: take them again. */
  fail(status: number | null): void;
  /** Answer messages of this type with 422 (a payload the platform refuses for good). */
  refuseType(type: string | null): void;
  /** Forgets what it took and refused, and takes messages again (between tests). */
  reset(): void;
  /** Messages of one type, in the order they were first taken. */
  ofType<T extends ExchangeMessage['type']>(type: T): Array<Extract<ExchangeMessage, { type: T }>>;
  close(): Promise<void>;
}

/**
 * A government platform for tests: HTTPS on a random loopback port with a certificate from a
 * throwaway CA (openssl), that checks the bearer token, the Idempotency-Key header against the body
 * and every body against the exchange's TypeBox schema, and keeps what it took by key, as a platform
 * that honours idempotency keys would.
 */
export async function startExchangeReceiver(dir: string, token: string): Promise<ExchangeReceiver> {
  const pki = makeTestPki(dir);
  const received = new Map<string, ExchangeMessage>();
  const deliveries: string[] = [];
  const invalid: string[] = [];
  let failing: number | null = null;
  let issued = 0;
  let refused: string | null = null;
  const answer = (res: import('node:http').ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server: Server = createServer({ key: pki.server.key, cert: pki.server.cert }, (req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => {
      if (req.url === '/token') {
        const basic = `Basic ${Buffer.from('oauth-client:oauth-secret').toString('base64')}`;
        if (req.headers.authorization !== basic || new URLSearchParams(text).get('grant_type') !== 'client_credentials') return answer(res, 401, { error: 'invalid_client' });
        issued++;
        return answer(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      if (failing !== null) return answer(res, failing, { error: 'platform unavailable' });
      if (req.headers.authorization !== `Bearer ${token}`) { invalid.push(`token ${String(req.headers.authorization)}`); return answer(res, 401, { error: 'bad token' }); }
      let body: unknown;
      try { body = JSON.parse(text); } catch { invalid.push(`not JSON: ${text.slice(0, 100)}`); return answer(res, 400, { error: 'not JSON' }); }
      if (!checkMessage.Check(body)) {
        const first = checkMessage.Errors(body).First();
        invalid.push(`${first?.path ?? ''} ${first?.message ?? ''} in ${text.slice(0, 300)}`);
        return answer(res, 422, { error: 'schema' });
      }
      if (req.headers[EXCHANGE_HEADERS.idempotencyKey] !== body.idempotencyKey) { invalid.push(`key header ${String(req.headers[EXCHANGE_HEADERS.idempotencyKey])} ≠ ${body.idempotencyKey}`); return answer(res, 400, { error: 'key' }); }
      if (refused === body.type) return answer(res, 422, { error: `${body.type} refused` });
      if (!received.has(body.idempotencyKey)) received.set(body.idempotencyKey, body);
      deliveries.push(body.idempotencyKey);
      return answer(res, 200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { writeFileSync } = await import('node:fs');
  const caFile = `${dir}/exchange-ca.pem`;
  writeFileSync(caFile, pki.ca);
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/exchange`, tokenUrl: `${base}/token`, tokensIssued: () => issued, caFile, received, deliveries, invalid,
    fail: (status) => { failing = status; },
    refuseType: (type) => { refused = type; },
    reset: () => { received.clear(); deliveries.length = 0; invalid.length = 0; failing = null; refused = null; },
    ofType: <T extends ExchangeMessage['type']>(type: T) => [...received.values()].filter((m): m is Extract<ExchangeMessage, { type: T }> => m.type === type),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
