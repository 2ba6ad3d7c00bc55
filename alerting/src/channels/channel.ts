import { lwError, type ChannelAddress, type ChannelKind, type Language, type Severity } from '@liftwatch/contract';

/** What a crew member is told: the same content on every channel, each in its own format. */
export interface AlertNotification {
  readonly alertId: number;
  readonly liftId: string;
  readonly code: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly severity: Severity;
  readonly state: string;
  /** Why, in the recipient's language (the reason catalogue, packages/contract/src/reasons.ts). */
  readonly reason: string;
  /** The recipient's language: every channel writes its text in it. */
  readonly language: Language;
  readonly openedAt: number;
  /** The time zone the recipient reads times in (the `timeZone` setting, Asia/Shanghai by default). */
  readonly timeZone: string;
  /** The lift's name and address: the platform registry's when set, else what its terminal reported; null: unknown. */
  readonly liftName: string | null;
  readonly address: string | null;
  /** The alert in the console (`consoleUrl`); null: no console address known. */
  readonly link: string | null;
  readonly occurrences: number;
  /** Which escalation step or reminder sent it, e.g. "P1 entrapment: not acknowledged within 1 min". */
  readonly cause: string;
  readonly recipient: { readonly id: string; readonly name: string };
}

/**
 * The alert channel port. `send` resolves once the channel accepted the notification. It throws
 * LW_ERR_CHANNEL_REJECTED (not retryable: wrong address, bad signature, 4xx) or
 * LW_ERR_CHANNEL_UNAVAILABLE (retryable: network, 5xx, rate limit). Every adapter passes one
 * contract suite (alerting/test/channel.contract.ts).
 */
export interface AlertChannel {
  readonly kind: ChannelKind;
  send(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): Promise<void>;
  close?(): Promise<void>;
}

export { mailText, markdownText, shortText } from './notification-text.js';

/** HTTP statuses that a retry may cure (RFC 9110 §15.5.9 408, RFC 6585 §4 429, and 5xx). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs JSON and maps the outcome onto the two channel errors. `timeoutMs` bounds a hanging receiver.
 * Returns the parsed body (or text) of a 2xx answer.
 */
export async function postJson(kind: ChannelKind, url: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `${kind} POST to ${redact(url)} failed: ${(err as Error).message}; it will be retried`, err);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const code = isTransientStatus(res.status) ? 'LW_ERR_CHANNEL_UNAVAILABLE' : 'LW_ERR_CHANNEL_REJECTED';
    throw lwError(code, `${kind} receiver ${redact(url)} answered ${res.status}: ${text.slice(0, 200)}${code === 'LW_ERR_CHANNEL_REJECTED' ? '; fix the address or the secret of this recipient' : '; it will be retried'}`);
  }
  try { return JSON.parse(text) as unknown; } catch { return text; }
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
