/** Options of the rescoring loop. */
export interface RescoreOptions {
  /** A lift with new records is rescored once this long has passed since its last scoring, ms. */
  readonly minIntervalMs: number;
  /** Every lift is rescored at least this often, records or not (its features and health move with time), ms. */
  readonly roundMs: number;
  /** Lifts scored per second at most (records first, then the round), so scoring keeps to its share of the CPU. */
  readonly maxPerS: number;
  /** How often the loop looks for work, ms. @defaultValue 1000 */
  readonly tickMs?: number;
}

export interface RescoreDeps {
  readonly now: () => number;
  /** The lifts to go round (a snapshot is taken at the start of each round). */
  readonly lifts: () => Iterable<string>;
  /** When a lift was last scored (−∞: never). */
  readonly scoredAt: (liftId: string) => number;
  /** Score these lifts now. */
  readonly score: (liftIds: string[]) => Promise<void>;
  readonly onError?: (err: unknown) => void;
}

/**
 * Which lifts to score, tick by tick: those whose features changed (`mark`) once their minimum
 * interval has passed, oldest first, then a slice of the round so that every lift is scored at least
 * once per `roundMs`; both within `maxPerS`. The lag is how long the oldest due lift has waited.
 */
export function createRescoreLoop(o: RescoreOptions, deps: RescoreDeps) {
  const tickMs = o.tickMs ?? 1_000;
  /** Lifts with records not scored since: liftId → when first marked (a Map keeps that order). */
  const marked = new Map<string, number>();
  let round: string[] = [];
  let cursor = 0;
  let roundStart = deps.now();
  let running = false;
  let closed = false;
  const stats = { scored: 0, fromRecords: 0, fromRound: 0, rounds: 0, lastRoundS: NaN, lagS: 0, perS: 0 };
  let window = { t: deps.now(), n: 0 };

  /** The lifts due now, within the budget of one tick. */
  function pick(): string[] {
    const t = deps.now();
    const budget = Math.max(1, Math.floor((o.maxPerS * tickMs) / 1000));
    const out: string[] = [];
    const taken = new Set<string>();
    let oldest = t;
    // In the order they were marked, so the first due lift past the budget is the one waiting longest:
    // the rest need not be looked at (a city marks 150,000 lifts; looking at each, each tick, cost 5 %
    // of the event loop).
    for (const [liftId, since] of marked) {
      if (t - deps.scoredAt(liftId) < o.minIntervalMs) continue;
      if (out.length >= budget) { oldest = since; break; }
      out.push(liftId);
      taken.add(liftId);
      marked.delete(liftId);
      stats.fromRecords++;
    }
    stats.lagS = (t - oldest) / 1000;
    if (cursor >= round.length) {
      if (round.length > 0) { stats.rounds++; stats.lastRoundS = (t - roundStart) / 1000; }
      round = [...deps.lifts()];
      cursor = 0;
      roundStart = t;
    }
    // the round's share of this tick, so that the round ends within roundMs (with a tenth to spare)
    const share = Math.ceil((round.length * tickMs) / (0.9 * o.roundMs));
    for (let k = 0; k < share && out.length < budget && cursor < round.length; k++) {
      const liftId = round[cursor++]!;
      if (t - deps.scoredAt(liftId) < o.minIntervalMs || taken.has(liftId)) continue; // scored lately for its records
      out.push(liftId);
      stats.fromRound++;
    }
    return out;
  }

  async function tick(): Promise<void> {
    if (running || closed) return;
    running = true;
    try {
      const ids = pick();
      if (ids.length > 0) await deps.score(ids);
      stats.scored += ids.length;
      window.n += ids.length;
      const t = deps.now();
      if (t - window.t >= 10_000) { stats.perS = window.n / ((t - window.t) / 1000); window = { t, n: 0 }; }
    } catch (err) {
      deps.onError?.(err);
    } finally {
      running = false;
    }
  }
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();

  return {
    /** A lift's features changed (a stored record). */
    mark(liftId: string): void { if (!marked.has(liftId)) marked.set(liftId, deps.now()); },
    /** One tick now (tests and the demo's fast clock). */
    tick,
    /** Every marked lift whose interval has passed, whatever the budget (tests; close). */
    due(): string[] {
      const t = deps.now();
      const out = [...marked.keys()].filter((id) => t - deps.scoredAt(id) >= o.minIntervalMs);
      for (const id of out) marked.delete(id);
      return out;
    },
    waiting: () => marked.size,
    stats: () => ({ ...stats, waiting: marked.size, roundSize: round.length, roundDone: cursor }),
    close(): void { closed = true; clearInterval(timer); },
  };
}
export type RescoreLoop = ReturnType<typeof createRescoreLoop>;
