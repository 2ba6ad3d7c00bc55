import type { ExchangeType } from '@liftwatch/contract';
import type { StateStore } from '@liftwatch/state-store';
import { createExchangeClient, type ExchangeClientOptions } from './client.js';
import { createExchangeFeeder } from './feeder.js';
import { createExchangeSender } from './sender.js';
import type { RescueLimits } from './stages.js';

export interface ExchangeOptions {
  readonly client: ExchangeClientOptions;
  readonly types: ReadonlySet<ExchangeType>;
  readonly timeZone: string;
  readonly limits: RescueLimits;
  readonly retryFirstMs: number;
  readonly retryMaxMs: number;
  /** Days a delivered message stays in the outbox (GET /api/exchange/outbox shows it). */
  readonly keepDays: number;
  /** How often the feeds are read and due messages sent, ms; kick() runs a round at once. @defaultValue 2000 */
  readonly everyMs?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

const HOUR = 3_600_000;

/**
 * The exchange with a government or provincial platform (docs/government-exchange.md), run by nodes
 * with the alerting role: rounds of feeding the outbox from the shared state and sending what is
 * due. Everything it needs to go on is in the state store, so a restart, or another node, picks up
 * where it stopped.
 */
export function createExchange(state: StateStore, options: ExchangeOptions) {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const feeder = createExchangeFeeder(state, { types: options.types, limits: options.limits, now });
  // A claim outlives a send that waits its whole timeout, twice over: another node never sends a message still being sent.
  const leaseMs = Math.max(60_000, 2 * (options.client.timeoutMs ?? 10_000) + 10_000);
  const sender = createExchangeSender(state, createExchangeClient(options.client), { timeZone: options.timeZone, now, retryFirstMs: options.retryFirstMs, retryMaxMs: options.retryMaxMs, leaseMs, log });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let lastError = '';
  let cleanedAt = 0;

  async function round(): Promise<void> {
    try {
      await feeder.feed();
      await sender.sendDue();
      if (now() - cleanedAt > HOUR) {
        cleanedAt = now();
        await state.outbox.deleteDelivered(now() - options.keepDays * 24 * HOUR);
      }
      lastError = '';
    } catch (err) {
      const line = `exchange: a round failed (${String(err)}); the next one tries again`;
      if (line !== lastError) log(line);
      lastError = line;
    }
  }

  /** Runs a round now, or once more after the one running. */
  function kick(): void {
    if (closed) return;
    if (running) { again = true; return; }
    clearTimeout(timer);
    running = round().finally(() => {
      running = undefined;
      if (again && !closed) { again = false; kick(); } else schedule();
    });
  }
  function schedule(): void {
    if (closed) return;
    timer = setTimeout(kick, options.everyMs ?? 2000);
    timer.unref();
  }

  return {
    start: kick,
    /** Something changed that the platform should hear of: a round at once. */
    kick,
    /** One round, awaited (tests). */
    round,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type Exchange = ReturnType<typeof createExchange>;
