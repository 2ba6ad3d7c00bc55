import type { ChannelAddress } from '@liftwatch/contract';
import { createJsonPoster, shortText, type AlertChannel, type AlertNotification } from './channel.js';

export interface SmsGatewayOptions {
  /** The gateway's endpoint: POST JSON `{ to, text, idempotencyKey }`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` when set. @defaultValue undefined */
  readonly token?: string | undefined;
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Longest text; longer ones are cut (a concatenated SMS is 153 × n GSM-7 or 67 × n UCS-2 characters). @defaultValue 335 */
  readonly maxChars?: number;
}

/**
 * SMS through an HTTP gateway. Vendors differ (Aliyun, Tencent Cloud, Twilio); liftwatch speaks
 * one small JSON shape and a thin adapter at the gateway maps it. The text carries Chinese, so it
 * goes as UCS-2: 67 characters per part; 335 = 5 parts.
 */
export function createSmsChannel(options: SmsGatewayOptions): AlertChannel {
  const poster = createJsonPoster('sms', { timeoutMs: options.timeoutMs ?? 10_000 });
  return {
    kind: 'sms',
    async send(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): Promise<void> {
      const text = shortText(n).slice(0, options.maxChars ?? 335);
      const headers: Record<string, string> = { 'idempotency-key': idempotencyKey };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      await poster.post(options.url, { to: to.to, text, idempotencyKey }, headers);
    },
    async close() { poster.close(); },
  };
}
