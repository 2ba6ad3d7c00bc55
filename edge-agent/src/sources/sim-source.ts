import type { ConfigMessage, LiftRecord } from '@liftwatch/contract';
import { createLiftSim, type LiftSim, type P1Kind } from '@liftwatch/simulator';
import type { RecordDraft } from '../spool/spool.js';
import { doorRawOf, tripRawOf } from './sim-raw.js';
import type { SensorSource, SourceSink } from './source.js';

export interface SimSourceOptions {
  readonly liftId: string;
  readonly seed: number;
  /** Multiplies the lift's call rate. @defaultValue 1 */
  readonly trafficScale?: number;
  /**
   * Simulated seconds per wall-clock second (load tests run the lift faster than life). With `sim`,
   * the lift runs this much faster only until its clock reaches the wall clock, then in real time.
   * @defaultValue 1
   */
  readonly speed?: number;
  /**
   * A simulated lift to go on with (a demo lift after its history, `demoLift`): its clock starts
   * where the lift is (`sim.now()`), at most the wall clock. Behind the wall clock it runs `speed`
   * times faster in its own fidelity (records with their past times, as a terminal sends a
   * backlog; at speed 1 the gap is sent at once) and at full fidelity from the moment it is level.
   * @defaultValue a new healthy lift starting now
   */
  readonly sim?: LiftSim;
  /** Records sent first, with their own times (a lift that goes on re-announces its registry record). @defaultValue none */
  readonly boot?: readonly LiftRecord[];
  /** How often the lift is advanced to the clock, ms. @defaultValue 250 */
  readonly tickMs?: number;
  readonly now?: () => number;
  /**
   * Take trip and door records from the edge computation over the simulator's raw signals (full
   * fidelity, as on a terminal with sensors) instead of the simulator's own summaries. @defaultValue false
   */
  readonly raw?: boolean;
}

/** Strips the simulator's own seq: the agent's spool numbers every record of the terminal. */
export function toDraft(r: LiftRecord): RecordDraft {
  const { seq: _seq, ...rest } = r.record;
  return { stream: r.stream, record: rest };
}

/**
 * The simulator as a sensor source. By default the simulator's own per-trip and per-door summaries
 * are sent; with `raw` the simulator's raw signals go through the edge computation
 * (edge/trip-summary.ts, edge/door-summary.ts) as a terminal's sensors would.
 */
export function createSimSource(options: SimSourceOptions): SensorSource & { sim: LiftSim; inject(kind: P1Kind): void } {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  const t0 = now();
  const sim = options.sim ?? createLiftSim({ liftId: options.liftId, seed: options.seed, startMs: t0, trafficScale: options.trafficScale ?? 1, raw: options.raw === true });
  const clock = options.sim ? goOnClock(options.sim, t0, speed) : (wall: number) => t0 + (wall - t0) * speed;
  let timer: NodeJS.Timeout | undefined;
  let sink: SourceSink | undefined;
  const tick = () => {
    // The agent reports its own device record (backlog, config acknowledgement); the simulator's is dropped.
    let records = sim.advanceTo(clock(now())).filter((r) => r.stream !== 'device');
    const windows = options.raw === true ? sim.drainRaw() : [];
    if (windows.length > 0) { // the edge computes these records from the signals
      const summarised = new Set(windows.map((w) => w.recordSeq));
      records = records.filter((r) => !summarised.has(r.record.seq));
    }
    if (records.length > 0) sink?.emit(records.map(toDraft));
    for (const w of windows) {
      if (w.kind === 'trip') sink?.trip(tripRawOf(w));
      else sink?.door(doorRawOf(w));
    }
  };
  return {
    kind: 'sim',
    sim,
    inject: (kind) => sim.injectP1(kind),
    start(s) {
      sink = s;
      if (options.boot?.length) sink.emit(options.boot.map((r) => toDraft({ ...r, record: { ...r.record, ts: Math.max(r.record.ts, sim.now()) } } as LiftRecord)));
      tick();
      timer = setInterval(tick, options.tickMs ?? 250);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    checkConfig(config: ConfigMessage) {
      const periodS = (options.tickMs ?? 250) / 1000;
      for (const key of ['statusMovingS', 'statusIdleS'] as const) {
        const v = config[key];
        if (v !== undefined && v < periodS) return `${key} ${v} s is shorter than this terminal reads the lift (every ${periodS} s): give at least ${periodS}`;
      }
      return undefined;
    },
    selfTest() {
      return Promise.resolve({ ok: true, detail: 'the simulated alarm device answered' });
    },
    applyConfig(_config: ConfigMessage) {
      // The simulator fixes its periods when created; the agent's own device period follows the config.
    },
  };
}

/**
 * The clock of a lift that goes on from where it is: `speed` times faster than the wall clock while
 * behind it (at speed 1: level at once), then the wall clock, at full fidelity from then on.
 */
function goOnClock(sim: LiftSim, wall0: number, speed: number): (wall: number) => number {
  const from = Math.min(sim.now(), wall0);
  let level = false;
  return (wall) => {
    if (level) return wall;
    const t = speed <= 1 ? wall : Math.min(wall, from + (wall - wall0) * speed);
    if (t >= wall) {
      level = true;
      sim.setFidelity('full');
    }
    return t;
  };
}
