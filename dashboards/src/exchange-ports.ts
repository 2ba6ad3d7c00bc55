import type { Awaitable, ExchangeMessage, RescueCallInput, RescueCallView, RescueStageInput } from '@liftwatch/contract';

export type OutboxState = 'pending' | 'delivered' | 'rejected';

/** A message of the outbox as an admin reads it (what it is about, how its sends went). */
export interface OutboxMessageView {
  id: number; idempotencyKey: string; type: string; subject: string; version: number; occurredAt: number; createdAt: number;
  state: OutboxState; attempts: number; nextAttemptAt: number; lastError: string | null; lastStatus: number | null; deliveredAt: number | null;
}

/**
 * The outbox of the exchange with the government platform (docs/government-exchange.md): its
 * backlog, its messages and the retry of one the platform refused.
 */
export interface ExchangePort {
  /** Whether a platform is set (exchangeUrl), which, and what is sent. */
  readonly settings: { enabled: boolean; host: string | null; types: readonly string[]; timeZone: string };
  backlog(): Awaitable<{ pending: number; failing: number; rejected: number; delivered: number; oldestPendingAt: number | null; nextAttemptAt: number | null; lastDeliveredAt: number | null }>;
  list(filter: { state?: OutboxState; subject?: string; before?: number; limit: number }): Awaitable<OutboxMessageView[]>;
  /** A message with the body it is sent with; undefined: no such message. */
  get(id: number): Awaitable<(OutboxMessageView & { body: ExchangeMessage }) | undefined>;
  /** Makes a refused (or waiting) message due at once. */
  retry(id: number): Awaitable<OutboxMessageView>;
}

/** Calls handed over by a rescue line (96333), attached to the lift's entrapment, with their stages. */
export interface RescueLinePort {
  receive(input: RescueCallInput, actor: string): Promise<{ call: RescueCallView; created: boolean }>;
  /** The lift a call names by its id, registration code or rescue code. */
  liftOf(input: RescueCallInput): Promise<string>;
  stage(id: number, input: RescueStageInput, actor: string): Promise<RescueCallView>;
  get(id: number): Promise<RescueCallView>;
  list(filter: { liftId?: string; from?: number; to?: number; limit: number }): Promise<RescueCallView[]>;
  /** Whether `token` is the rescue line's system's (setting rescueLineToken); false when none is set. */
  acceptsToken(token: string | undefined): boolean;
}
