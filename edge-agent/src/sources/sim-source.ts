import type { ConfigMessage, LiftRecord } from '@liftwatch/contract';
import { createLiftSim, type LiftSim, type P1Kind } from '@liftwatch/simulator';
import type { RecordDraft } from '../spool/spool.js';
import type { SensorSource, SourceSink } from './source.js';

export interface SimSourceOptions {
  readonly liftId: string;
  readonly seed: number;
  /** Multiplies the lift's call rate. @defaultValue 1 */
  readonly trafficScale?: number;
  /** Simulated seconds per wall-clock second (load tests run the lift faster than life). @defaultValue 1 */
  readonly speed?: number;
  /** How often the lift is advanced to the clock, ms. @defaultValue 250 */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/** Strips the simulator's own seq: the agent's spool numbers every record of the terminal. */
export function toDraft(r: LiftRecord): RecordDraft {
  const { seq: _seq, ...rest } = r.record;
  return { stream: r.stream, record: rest };
}

/**
 * The simulator as a sensor source. The simulator already emits per-trip and per-door summaries;
 * when it emits raw windows, they go through edge/trip-summary.ts and
 * edge/door-summary.ts here.
 */
export function createSimSource(options: SimSourceOptions): SensorSource & { sim: LiftSim; inject(kind: P1Kind): void } {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  const t0 = now();
  const sim = createLiftSim({ liftId: options.liftId, seed: options.seed, startMs: t0, trafficScale: options.trafficScale ?? 1 });
  let timer: NodeJS.Timeout | undefined;
  let sink: SourceSink | undefined;
  const tick = () => {
    // The agent reports its own device record (backlog, config acknowledgement); the simulator's is dropped.
    const records = sim.advanceTo(t0 + (now() - t0) * speed).filter((r) => r.stream !== 'device');
    if (records.length > 0) sink?.emit(records.map(toDraft));
  };
  return {
    kind: 'sim',
    sim,
    inject: (kind) => sim.injectP1(kind),
    start(s) {
      sink = s;
      tick();
      timer = setInterval(tick, options.tickMs ?? 250);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    applyConfig(_config: ConfigMessage) {
      // The simulator fixes its periods when created; the agent's own device period follows the config.
    },
  };
}
