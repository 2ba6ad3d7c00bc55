import { request } from 'node:https';
import { EXCHANGE_HEADERS, lwError, type ExchangeMessage } from '@liftwatch/contract';

export interface ExchangeClientOptions {
  /** https:// URL that takes every message (POST, JSON). */
  readonly url: string;
  /** A fixed bearer token the platform issued; empty when `oauth` gives tokens. */
  readonly token: string;
  /**
   * OAuth 2.0 client credentials (RFC 6749 §4.4), which GB/T 24476-2017 references for the link to
   * government platforms: a token is fetched from `tokenUrl`, kept until shortly before it expires,
   * and fetched again when the platform answers 401.
   */
  readonly oauth?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string } | undefined;
  /** PEM of the CA that signs the platform's certificate when it is not a public one; empty: the system's CAs. */
  readonly ca?: string | Buffer | undefined;
  /** Longest wait for an answer, ms. @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/** How a send went: delivered, to be retried (after `retryAfterMs` when the platform said), or refused for good. */
export type SendOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number | null; readonly error: string; readonly retryAfterMs?: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly error: string };

interface Answer { status: number; body: string; headers: Record<string, string | string[] | undefined> }

function post(url: string, body: string, headers: Record<string, string>, ca: string | Buffer | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, ...(ca ? { ca } : {}), timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (text.length < 4096) text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Statuses a later try may cure: timeouts, too many requests, a conflict with the same key still being handled, and server faults. */
const TRANSIENT = (status: number) => status >= 500 || status === 408 || status === 409 || status === 425 || status === 429 || status === 401 || status === 403;

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Sends messages to the platform over HTTPS: the token in `Authorization: Bearer`, the message's key
 * in `Idempotency-Key`. 2xx is delivered; 5xx, 408, 409, 425, 429, and 401/403 (a token an operator
 * will fix) are retried; any other 4xx is refused for good. A redirect is not followed (refused).
 */
export function createExchangeClient(options: ExchangeClientOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let cached: { token: string; until: number } | undefined;

  async function token(): Promise<string> {
    if (!options.oauth) return options.token;
    if (cached && cached.until > Date.now()) return cached.token;
    const o = options.oauth;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(o.scope ? { scope: o.scope } : {}) }).toString();
    const basic = Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64');
    const answer = await post(o.tokenUrl, form, { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, options.ca, timeoutMs);
    const parsed = (() => { try { return JSON.parse(answer.body) as { access_token?: unknown; expires_in?: unknown }; } catch { return {}; } })();
    if (answer.status !== 200 || typeof parsed.access_token !== 'string') {
      throw lwError('LW_ERR_EXCHANGE_UNAVAILABLE', `the token endpoint ${o.tokenUrl} answered ${answer.status} ${answer.body.slice(0, 200)}: check exchangeClientId and exchangeClientSecret`);
    }
    const life = typeof parsed.expires_in === 'number' ? parsed.expires_in * 1000 : 3_600_000;
    cached = { token: parsed.access_token, until: Date.now() + Math.max(0, life - 30_000) };
    return cached.token;
  }

  return {
    async send(message: ExchangeMessage): Promise<SendOutcome> {
      let answer: Answer;
      try {
        const bearer = await token();
        answer = await post(options.url, JSON.stringify(message), {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), [EXCHANGE_HEADERS.idempotencyKey]: message.idempotencyKey, [EXCHANGE_HEADERS.messageType]: message.type,
        }, options.ca, timeoutMs);
      } catch (err) {
        return { kind: 'retry', status: null, error: `POST ${options.url} failed: ${(err as Error).message}` };
      }
      if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered', status: answer.status };
      const error = `the platform answered ${answer.status}: ${answer.body.slice(0, 300)}`;
      if (answer.status === 401) cached = undefined;
      if (!TRANSIENT(answer.status)) return { kind: 'rejected', status: answer.status, error };
      const after = retryAfterMs(answer.headers['retry-after']);
      return { kind: 'retry', status: answer.status, error: answer.status === 401 || answer.status === 403 ? `${error} (check exchangeToken or the client credentials)` : error, ...(after === undefined ? {} : { retryAfterMs: after }) };
    },
  };
}
export type ExchangeClient = ReturnType<typeof createExchangeClient>;
