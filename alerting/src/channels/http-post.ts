import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { lwError, type ChannelKind } from '@liftwatch/contract';

export interface JsonPosterOptions {
  /** Longest wait for the receiver's whole answer, ms. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** PEM of a CA to trust for https:// receivers besides Node's bundled ones (tests, private CAs). */
  readonly ca?: string | Buffer | undefined;
  /** Most bytes of an answer read; the rest is dropped and the connection closed. @defaultValue 65536 */
  readonly maxAnswerBytes?: number;
}

/** HTTP statuses that a retry may cure (RFC 9110 §15.5.9 408, RFC 6585 §4 429, and 5xx). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Robot URLs carry their access token in the query: never write it into the audit. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    for (const k of ['access_token', 'key', 'sign', 'token']) if (u.searchParams.has(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

interface Answer { status: number; text: string }

/** Idle connections are closed after this (below the 5 s that Node's and many servers keep them); a shorter Keep-Alive hint of the receiver wins. */
const IDLE_MS = 4000;

/**
 * POSTs JSON to alert receivers over connections kept open between sends (HTTP/1.1 persistent
 * connections, RFC 9112 §9.3): a P1 does not wait for a new TCP (and TLS) handshake, nor for the
 * set-up of a fetch() request, before its notification leaves. Redirects are not followed: a 3xx is
 * refused, so that a notification only goes to the address a person gave. A request sent on a kept
 * connection that the receiver closed meanwhile (reset before any answer) is sent once more at once on
 * a new one; the receiver deduplicates by the idempotency key.
 */
export function createJsonPoster(kind: ChannelKind, options: JsonPosterOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAnswerBytes = options.maxAnswerBytes ?? 65_536;
  const http = new HttpAgent({ keepAlive: true, timeout: IDLE_MS });
  const https = new HttpsAgent({ keepAlive: true, timeout: IDLE_MS, ...(options.ca ? { ca: options.ca } : {}) });

  function once(url: URL, body: string, headers: Record<string, string>, deadline: number): Promise<Answer & { stale?: boolean }> {
    return new Promise((resolve, reject) => {
      const tls = url.protocol === 'https:';
      const send = tls ? httpsRequest : httpRequest;
      let answered = false;
      const req = send(url, { method: 'POST', agent: tls ? https : http, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
        answered = true;
        readAnswer(res, maxAnswerBytes).then((text) => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, text }); }, fail);
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
      function fail(err: Error) {
        clearTimeout(timer);
        // A kept connection the receiver had closed: nothing was answered, so sending again is safe.
        if (req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && !answered) resolve({ status: 0, text: '', stale: true });
        else reject(err);
      }
      req.on('error', fail);
      req.end(body);
    });
  }

  async function exchange(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${u.protocol} is not http: or https:`);
    const deadline = Date.now() + timeoutMs;
    const first = await once(u, body, headers, deadline);
    return first.stale ? once(u, body, headers, deadline) : first;
  }

  return {
    /**
     * POSTs `body` (JSON text, or a value to serialise) and maps the outcome onto the two channel
     * errors: LW_ERR_CHANNEL_REJECTED for a 4xx or 3xx, LW_ERR_CHANNEL_UNAVAILABLE for the network,
     * a timeout, 408, 429 and 5xx. Returns the parsed body (or text) of a 2xx answer.
     */
    async post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
      let answer: Answer;
      try {
        answer = await exchange(url, typeof body === 'string' ? body : JSON.stringify(body), headers);
      } catch (err) {
        throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `${kind} POST to ${redact(url)} failed: ${(err as Error).message}; it will be retried`, err);
      }
      const { status, text } = answer;
      if (status < 200 || status >= 300) {
        const code = isTransientStatus(status) ? 'LW_ERR_CHANNEL_UNAVAILABLE' : 'LW_ERR_CHANNEL_REJECTED';
        const redirect = status >= 300 && status < 400 ? ' (a redirect: liftwatch sends only to the address given, so give the address it points to)' : '';
        throw lwError(code, `${kind} receiver ${redact(url)} answered ${status}${redirect}: ${text.slice(0, 200)}${code === 'LW_ERR_CHANNEL_REJECTED' ? '; fix the address or the secret of this recipient' : '; it will be retried'}`);
      }
      try { return JSON.parse(text) as unknown; } catch { return text; }
    },
    /** Closes the kept connections. */
    close(): void {
      http.destroy();
      https.destroy();
    },
  };
}

export type JsonPoster = ReturnType<typeof createJsonPoster>;

/** The answer's text, up to `max` bytes; a longer answer is cut there and its connection closed. */
function readAnswer(res: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size >= max) return;
      chunks.push(c);
      size += c.length;
      if (size >= max) { res.destroy(); resolve(Buffer.concat(chunks).subarray(0, max).toString('utf8')); }
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('close', () => { if (!res.complete) reject(new Error('the connection closed before the whole answer came')); });
  });
}
