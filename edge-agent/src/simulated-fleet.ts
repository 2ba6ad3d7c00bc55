import mqtt, { type MqttClient } from 'mqtt';
import { liftTopic, STREAMS, type LiftRecord, type PresenceRecord } from '@liftwatch/contract';
import { createLiftSim, createRandom, mixSeed, P1_KINDS, type LiftSim, type P1Kind } from '@liftwatch/simulator';

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
}

interface Terminal { sim: LiftSim; client: MqttClient }

/**
 * A simulated fleet: N terminals that connect over real MQTT, publish a retained presence with a
 * last will, and send what their simulated lift does in real time. Now and then a lift is made to
 * show a P1 event, so a newcomer sees alerts within a minute.
 */
export function startSimulatedFleet(options: SimulatedFleetOptions) {
  const seed = options.seed ?? 1;
  const rnd = createRandom(mixSeed(seed, 0xf1ee7));
  const prefix = options.prefix ?? 'SIM';
  const startMs = Date.now();
  const counters = { published: 0, errors: 0, injected: 0 };
  const terminals: Terminal[] = [];

  for (let i = 0; i < options.count; i++) {
    const liftId = `${prefix}-${String(i + 1).padStart(4, '0')}`;
    const sim = createLiftSim({ liftId, seed: mixSeed(seed, i + 1), startMs, trafficScale: options.trafficScale ?? 3 });
    const offline: PresenceRecord = { state: 'offline', terminalId: `T-${liftId}` };
    const client = mqtt.connect(options.brokerUrl, {
      clientId: `T-${liftId}`, protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: 10_000,
      ...(options.tokens?.has(liftId) ? { username: `T-${liftId}`, password: options.tokens.get(liftId) ?? '' } : {}),
      will: { topic: liftTopic(liftId, 'presence'), payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
    });
    client.on('connect', () => {
      const online: PresenceRecord = { state: 'online', ts: Date.now(), terminalId: `T-${liftId}` };
      client.publish(liftTopic(liftId, 'presence'), JSON.stringify(online), { qos: 1, retain: true });
    });
    client.on('error', (err) => {
      counters.errors++;
      if (counters.errors <= 3) options.log?.(`simulated terminal ${liftId}: ${err.message}`);
    });
    terminals.push({ sim, client });
  }

  function publish(t: Terminal, records: LiftRecord[]): void {
    for (const r of records) {
      const spec = STREAMS[r.stream];
      t.client.publish(liftTopic(t.sim.liftId, r.stream), JSON.stringify(r.record), { qos: spec.qos, retain: spec.retained }, (err) => {
        if (err) counters.errors++;
      });
      counters.published++;
    }
  }

  const tick = setInterval(() => {
    const now = Date.now();
    for (const t of terminals) publish(t, t.sim.advanceTo(now));
  }, options.tickMs ?? 250);

  const p1PerMinute = options.p1PerMinute ?? 2;
  let injectTimer: NodeJS.Timeout | undefined;
  const scheduleInjection = (first: boolean) => {
    if (p1PerMinute <= 0 || terminals.length === 0) return;
    const delay = first ? rnd.uniform(3_000, 10_000) : rnd.exponential(60_000 / p1PerMinute);
    injectTimer = setTimeout(() => {
      const t = rnd.pick(terminals);
      const kind: P1Kind = rnd.pick(P1_KINDS);
      t.sim.injectP1(kind);
      counters.injected++;
      options.log?.(`simulator: ${t.sim.liftId} will show ${kind}`);
      scheduleInjection(false);
    }, delay);
  };
  scheduleInjection(true);

  return {
    liftIds: terminals.map((t) => t.sim.liftId),
    connected: (): number => terminals.filter((t) => t.client.connected).length,
    stats: () => ({ ...counters, terminals: terminals.length }),
    /** Stops publishing and disconnects every terminal cleanly (their wills are not sent). */
    async stop(): Promise<void> {
      clearInterval(tick);
      if (injectTimer) clearTimeout(injectTimer);
      await Promise.all(terminals.map((t) => t.client.endAsync()));
    },
  };
}

export type SimulatedFleet = ReturnType<typeof startSimulatedFleet>;
