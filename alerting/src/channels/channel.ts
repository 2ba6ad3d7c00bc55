import type { ChannelAddress, ChannelKind, Language, Severity } from '@liftwatch/contract';

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
  /**
   * Builds the request (text, body, signature) and returns the send alone, the same as `send` when
   * called: escalation prepares before it commits the "sending" line, so that only the send follows it.
   */
  prepare?(n: AlertNotification, to: ChannelAddress, idempotencyKey: string): () => Promise<void>;
  close?(): Promise<void>;
}

export { mailText, markdownText, shortText } from './notification-text.js';

export { createJsonPoster, isTransientStatus, redact, type JsonPoster } from './http-post.js';
