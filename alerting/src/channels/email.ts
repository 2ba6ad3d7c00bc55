import nodemailer from 'nodemailer';
import { lwError, type ChannelAddress } from '@liftwatch/contract';
import { mailText, type AlertChannel, type AlertNotification } from './channel.js';

export interface EmailOptions {
  /** SMTP server, e.g. `smtp://user:pass@mail.example.org:587` or `smtps://…:465`. */
  readonly smtpUrl: string;
  /** Sender address. @defaultValue 'liftwatch <alerts@liftwatch.local>' */
  readonly from?: string;
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/**
 * E-mail over SMTP with nodemailer. The idempotency key becomes the Message-ID (RFC 5322 §3.6.4),
 * so a resend after a crash is the same message to mail clients that thread or dedup by it.
 * SMTP 5xx replies are final (RFC 5321 §4.2.1), 4xx and connection errors are retried.
 */
export function createEmailChannel(options: EmailOptions): AlertChannel {
  const t = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(options.smtpUrl, { connectionTimeout: t, greetingTimeout: t, socketTimeout: t } as never);
  return {
    kind: 'email',
    async send(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): Promise<void> {
      try {
        await transport.sendMail({
          from: options.from ?? 'liftwatch <alerts@liftwatch.local>',
          to: to.to,
          ...mailText(n),
          messageId: `<${idempotencyKey}@liftwatch>`,
          headers: { 'X-Liftwatch-Alert': String(n.alertId), 'X-Liftwatch-Severity': n.severity },
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw lwError('LW_ERR_CHANNEL_REJECTED', `SMTP server refused mail to ${to.to}: ${(err as Error).message}; check the address`, err);
        throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `SMTP send to ${to.to} failed: ${(err as Error).message}; it will be retried`, err);
      }
    },
    async close(): Promise<void> { transport.close(); },
  };
}
