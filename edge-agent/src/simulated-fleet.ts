import type { LiftRecord } from '@liftwatch/contract';
import { createRandom, mixSeed, P1_KINDS, type LiftSim, type P1Kind } from '@liftwatch/simulator';
import { createEdgeAgent, type EdgeAgent } from './agent.js';
import { createSimSource } from './sources/sim-source.js';
import { openSqliteSpool } from './spool/sqlite-spool.js';

export interface SimulatedFleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  readonly brokerUrl: string;
  /** Number of simulated terminals, one MQTT connection each. */
  readonly count: number;
  /** Same seed, same fleet. @defaultValue 1 */
  readonly seed?: number;
  /** Fleet-wide rate of injected P1 events per minute; 0 for none. @defaultValue 2 */
  readonly p1PerMinute?: number;
  /** Multiplies each lift's call rate. @defaultValue 3 (busy, so a demo shows movement) */
  readonly trafficScale?: number;
  /** How often the simulated lifts are advanced to the wall clock, ms. @defaultValue 250 */
  readonly tickMs?: number;
  /** Lift id prefix. @defaultValue 'SIM' */
  readonly prefix?: string;
  readonly log?: (line: string) => void;
  /** MQTT password (terminal token) of each lift's terminal `T-{liftId}`, for a broker that authenticates. @defaultValue none (anonymous) */
  readonly tokens?: ReadonlyMap<string, string>;
  /** Simulated seconds per second of a lift added with its own simulated lift (`add`) while it is behind the wall clock. @defaultValue 1 */
  readonly speed?: number;
}

/**
 * The demo fleet of `npm start -- --simulate N`: N simulated lifts, each behind a full edge agent
 * (contract check, spool, seq, publisher with presence and last will) on its own MQTT connection.
 * The spool is in memory (a demo keeps nothing across restarts). Now and then a lift is made to show
 * a P1 event, so a newcomer sees alerts within a minute.
 */
export function startSimulatedFleet(options: SimulatedFleetOptions) {
  const seed = options.seed ?? 1;
  const rnd = createRandom(mixSeed(seed, 0xf1ee7));
  const prefix = options.prefix ?? 'SIM';
  const counters = { injected: 0 };
  const spool = openSqliteSpool({ path: ':memory:', synchronous: 'normal' });
  const terminals: Array<{ agent: EdgeAgent; inject: (kind: P1Kind) => void; liftId: string }> = [];
  let logged = 0;
  let stopped = false;
  const log = (line: string) => {
    if (logged++ < 3) options.log?.(`simulated terminal: ${line}`);
  };

  /** A terminal for the lift, with a new healthy simulated lift or the one given (a demo lift after its history). */
  function add(liftId: string, sim?: LiftSim, boot: readonly LiftRecord[] = [], index = terminals.length): void {
    const source = createSimSource({ liftId, seed: mixSeed(seed, index + 1), trafficScale: options.trafficScale ?? 3, tickMs: options.tickMs ?? 250, ...(sim ? { sim, boot, speed: options.speed ?? 1 } : {}) });
    const token = options.tokens?.get(liftId);
    const agent = createEdgeAgent({ brokerUrl: options.brokerUrl, liftId, maxInflight: 8, ...(token === undefined ? {} : { username: `T-${liftId}`, password: token }) }, { source, spool, log });
    agent.start();
    terminals.push({ agent, inject: source.inject, liftId });
  }
  for (let i = 0; i < options.count; i++) add(`${prefix}-${String(i + 1).padStart(4, '0')}`, undefined, [], i);

  const p1PerMinute = options.p1PerMinute ?? 2;
  let injectTimer: NodeJS.Timeout | undefined;
  const scheduleInjection = (first: boolean) => {
    if (p1PerMinute <= 0) return;
    const delay = first ? rnd.uniform(3_000, 10_000) : rnd.exponential(60_000 / p1PerMinute);
    injectTimer = setTimeout(() => {
      if (terminals.length === 0) { scheduleInjection(true); return; }
      const t = rnd.pick(terminals);
      const kind: P1Kind = rnd.pick(P1_KINDS);
      t.inject(kind);
      counters.injected++;
      options.log?.(`simulator: ${t.liftId} will show ${kind}`);
      scheduleInjection(false);
    }, delay);
  };
  scheduleInjection(true);

  return {
    /** The lifts with a terminal so far (those added later included). */
    get liftIds(): string[] { return terminals.map((t) => t.liftId); },
    /** Starts a terminal for one more lift, e.g. a demo lift whose history is written: it goes on from where its history ended, sending `boot` first. */
    add: (liftId: string, sim: LiftSim, boot: readonly LiftRecord[] = []): void => { if (!stopped) add(liftId, sim, boot); },
    connected: (): number => terminals.filter((t) => t.agent.stats().publisher.connected).length,
    stats: () => {
      let published = 0;
      for (const t of terminals) published += t.agent.stats().publisher.sent;
      return { published, errors: logged, injected: counters.injected, terminals: terminals.length, spooled: spool.stats().backlog };
    },
    /** Stops publishing and disconnects every terminal cleanly (their wills are not sent). */
    async stop(): Promise<void> {
      stopped = true;
      if (injectTimer) clearTimeout(injectTimer);
      await Promise.all(terminals.map((t) => t.agent.close(500)));
      spool.close();
    },
  };
}

export type SimulatedFleet = ReturnType<typeof startSimulatedFleet>;
