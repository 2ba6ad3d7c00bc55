import { createHmac } from 'node:crypto';
import { lwError, type ChannelAddress } from '@liftwatch/contract';
import { createJsonPoster, markdownText, redact, type AlertChannel, type AlertNotification } from './channel.js';

export interface RobotOptions {
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Clock of the signature timestamp, ms. @defaultValue Date.now */
  readonly now?: () => number;
}

/**
 * DingTalk custom robot signing ("加签"): sign = Base64(HMAC-SHA256(key = secret, message =
 * `${timestamp}\n${secret}`)), URL-encoded, sent with `timestamp` (ms) as query parameters; DingTalk
 * refuses a timestamp more than an hour off.
 */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** DingTalk answers 200 with errcode ≠ 0 on errors; 130101 = sending too fast (20 messages a minute per robot). */
const DINGTALK_TRANSIENT = new Set([130101, -1]);

/**
 * A DingTalk group robot: POST `{ msgtype: "markdown", markdown: { title, text } }` to the robot's
 * webhook URL (`…/robot/send?access_token=…`), signed when the recipient has a secret. DingTalk has no
 * idempotency key: a resend after a crash may show twice in the group.
 */
export function createDingtalkChannel(options: RobotOptions = {}): AlertChannel {
  const now = options.now ?? Date.now;
  const poster = createJsonPoster('dingtalk', { timeoutMs: options.timeoutMs ?? 10_000 });
  return {
    kind: 'dingtalk',
    async send(n: AlertNotification, to: ChannelAddress): Promise<void> {
      const url = new URL(to.to);
      if (to.secret) {
        const timestamp = now();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingtalkSign(to.secret, timestamp));
      }
      const body = { msgtype: 'markdown', markdown: { title: `${n.severity} ${n.nameZh} ${n.liftId}`, text: markdownText(n) } };
      const answer = await poster.post(url.toString(), body) as { errcode?: number; errmsg?: string };
      robotAnswer('dingtalk', to.to, answer, DINGTALK_TRANSIENT);
    },
    async close() { poster.close(); },
  };
}

/** Both robots answer HTTP 200 with `{ errcode, errmsg }`; errcode 0 is success. */
export function robotAnswer(kind: 'dingtalk' | 'wecom', url: string, answer: { errcode?: number; errmsg?: string } | string, transient: ReadonlySet<number>): void {
  const errcode = typeof answer === 'object' && answer !== null ? answer.errcode : undefined;
  if (errcode === 0) return;
  const msg = typeof answer === 'object' && answer !== null ? answer.errmsg : String(answer);
  if (errcode !== undefined && transient.has(errcode)) {
    throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `${kind} robot ${redact(url)} answered errcode ${errcode} (${msg}); it will be retried`);
  }
  throw lwError('LW_ERR_CHANNEL_REJECTED', `${kind} robot ${redact(url)} answered errcode ${String(errcode)} (${msg}); check the robot's URL, key and signing secret`);
}
