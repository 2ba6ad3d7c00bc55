import type { StateStore } from '@liftwatch/state-store';
import type { ExchangeClient } from './client.js';
import { envelopeOf } from './payloads.js';

export interface SenderOptions {
  readonly timeZone: string;
  readonly now: () => number;
  /** Wait before the second try, ms; doubled before each later one up to `retryMaxMs`. */
  readonly retryFirstMs: number;
  readonly retryMaxMs: number;
  /** How long a claimed message is this node's; after a crash another node sends it when this has passed. @defaultValue 60000 */
  readonly leaseMs?: number;
  /** Messages sent at the same time. @defaultValue 8 */
  readonly concurrency?: number;
  readonly log: (line: string) => void;
}

/** Wait before the try after `attempts` tries: first × 2^(attempts − 1), at most `max`. */
export function retryDelay(attempts: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/**
 * Sends what the outbox holds: claims due messages (a lease, so two nodes never send one at once and
 * a crashed node's messages are sent by another), POSTs each, and records the outcome. A transient
 * failure is tried again with backoff for as long as it takes; a refusal waits for an admin.
 */
export function createExchangeSender(state: StateStore, client: ExchangeClient, options: SenderOptions) {
  const { outbox } = state;
  const leaseMs = options.leaseMs ?? 60_000;
  const concurrency = options.concurrency ?? 8;
  let failingSince: number | undefined;

  /** Sends one message and records how it went; true when the platform took or refused it, false when it should be tried again. */
  async function sendOne(m: Awaited<ReturnType<typeof outbox.claim>>[number]): Promise<boolean> {
    const outcome = await client.send(envelopeOf(m, options.timeZone));
    const at = options.now();
    if (outcome.kind === 'delivered') {
      await outbox.delivered(m.id, at, outcome.status);
      if (failingSince !== undefined) options.log(`exchange: the platform takes messages again (failing for ${Math.round((at - failingSince) / 1000)} s)`);
      failingSince = undefined;
    } else if (outcome.kind === 'rejected') {
      await outbox.rejected(m.id, outcome.error, outcome.status);
      options.log(`exchange: message ${m.id} (${m.idempotencyKey}) refused for good: ${outcome.error}; fix it and retry with POST /api/exchange/outbox/${m.id}/retry`);
    } else {
      const wait = Math.max(retryDelay(m.attempts, options.retryFirstMs, options.retryMaxMs), outcome.retryAfterMs ?? 0);
      await outbox.failed(m.id, outcome.error, outcome.status, at + wait);
      // Once when sends start failing, not once per message.
      if (failingSince === undefined) options.log(`exchange: ${outcome.error}; messages wait in the outbox and are sent again with backoff`);
      failingSince ??= at;
    }
    return outcome.kind !== 'retry';
  }

  return {
    /**
     * Sends the messages due now, batch after batch until none is left or a whole batch failed (the
     * platform is down: the rest wait for their next try instead of each waiting for its timeout now).
     * Returns how many were tried.
     */
    async sendDue(): Promise<number> {
      let tried = 0;
      for (;;) {
        const batch = await outbox.claim(options.now(), concurrency, leaseMs);
        if (batch.length === 0) return tried;
        tried += batch.length;
        const answered = await Promise.all(batch.map((m) => sendOne(m).catch((err: unknown) => {
          options.log(`exchange: message ${m.id} not recorded (${String(err)}); it is sent again when its lease ends`);
          return false;
        })));
        if (!answered.includes(true)) return tried;
      }
    },
  };
}
export type ExchangeSender = ReturnType<typeof createExchangeSender>;
