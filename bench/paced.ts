// What the MQTT loaders of the benchmarks (city-loader.ts, scale-out/loader.ts) share: records made
// from the contract's golden examples, a fixed mix of streams, and a paced send.
import { GOLDEN } from '@liftwatch/contract';

/** Status, trip and door records of the golden examples, with placeholders for lift id, seq and ts. */
export const RECORD_TEMPLATES = {
  status: JSON.stringify({ ...GOLDEN.status, liftId: '@L', seq: 1e15, ts: 2e12 }),
  trip: JSON.stringify({ ...GOLDEN.trip, liftId: '@L', seq: 1e15, ts: 2e12 }),
  door: JSON.stringify({ ...GOLDEN.door, liftId: '@L', seq: 1e15, ts: 2e12 }),
};

/** A template with the lift id, seq and ts put in (string replacement: cheaper than JSON.stringify per record). */
export const fillRecord = (template: string, liftId: string, seq: number, ts: number) =>
  template.replace('@L', liftId).replace('1000000000000000', String(seq)).replace('2000000000000', String(ts));

/** Where record number `n` falls in [0, 1): the same mix of streams every run (a 32-bit multiplicative hash of n). */
export const recordMix = (n: number) => ((Math.imul(n, 2654435761) >>> 0) % 1000) / 1000;

/**
 * Calls `send(n)` every `tickMs` with the number of records due at `ratePerS` (fractions carried to
 * the next tick) until `deadline` (performance.now()), then resolves.
 */
export function paced(ratePerS: number, deadline: number, send: (n: number) => void, tickMs = 50): Promise<void> {
  let debt = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() >= deadline) { clearInterval(timer); resolve(); return; }
      debt += (ratePerS * tickMs) / 1000;
      const n = Math.floor(debt);
      debt -= n;
      send(n);
    }, tickMs);
  });
}
