import { createHmac } from 'node:crypto';
import type { ChannelAddress } from '@liftwatch/contract';
import { createJsonPoster, shortText, type AlertChannel, type AlertNotification } from './channel.js';

export interface WebhookOptions {
  /** Longest wait for the receiver's answer, ms. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Clock for the signature timestamp, ms. @defaultValue Date.now */
  readonly now?: () => number;
}

/** Header names of the webhook contract (documented in alerting/README.md). */
export const WEBHOOK_HEADERS = { signature: 'x-liftwatch-signature', timestamp: 'x-liftwatch-timestamp', idempotencyKey: 'idempotency-key' } as const;

/**
 * HMAC-SHA256 (RFC 2104) over `${timestamp}.${body}` with the recipient's secret, hex, sent as
 * `sha256=<hex>`. Signing the timestamp too lets the receiver refuse replays of old requests.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The webhook channel: JSON body `{ type: "liftwatch.alert", idempotencyKey, sentAt, alert }`,
 * signature and idempotency key in headers. A receiver that sees a key twice should answer 2xx and
 * do nothing: liftwatch resends with the same key after a crash or a timeout.
 */
export function createWebhookChannel(options: WebhookOptions = {}): AlertChannel {
  const now = options.now ?? Date.now;
  const poster = createJsonPoster('webhook', { timeoutMs: options.timeoutMs ?? 10_000 });
  function prepare(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): () => Promise<void> {
    const timestamp = String(now());
    // `text`: the notification in the recipient's language, for a receiver that shows it as is.
    const body = JSON.stringify({ type: 'liftwatch.alert', idempotencyKey, sentAt: Number(timestamp), alert: n, text: shortText(n) });
    const headers: Record<string, string> = { [WEBHOOK_HEADERS.idempotencyKey]: idempotencyKey, [WEBHOOK_HEADERS.timestamp]: timestamp };
    if (to.secret) headers[WEBHOOK_HEADERS.signature] = webhookSignature(to.secret, timestamp, body);
    return async () => { await poster.post(to.to, body, headers); };
  }
  return {
    kind: 'webhook',
    prepare,
    send: (n, to, idempotencyKey) => prepare(n, to, idempotencyKey)(),
    async close() { poster.close(); },
  };
}
