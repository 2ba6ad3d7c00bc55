import type { TerminalRegistry } from '@liftwatch/broker';
import { lwError } from '@liftwatch/contract';
import { startSimulatedFleet, type SimulatedFleet } from '@liftwatch/edge-agent';
import { demoSite } from '@liftwatch/simulator';
import type { AllInOneConfig } from '../config.js';
import { startDemoHistory } from '../demo-history.js';
import { provisionSimulatedCrew } from '../simulated-crew.js';
import type { BrokerPart } from './broker.js';
import type { IngestPart } from './ingest.js';
import type { ModelsPart } from './models.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

export interface SimulationPart {
  readonly fleet: SimulatedFleet;
  /** The demo history: done when every simulated lift has its history and is live. */
  readonly history: { readonly done: Promise<void>; written(): number };
}

/**
 * `--simulate N`: terminals T-SIM-0001… provisioned in the registry (new ones added, known ones given
 * fresh tokens), crews on call for them (unless --simulate-crew false), and the simulated fleet
 * publishing to this node's broker or to --simulate-broker-url. With --simulate-history-days the lifts
 * are drawn from --simulate-mix and each gets its history first (demo-history.ts), written to this
 * node's store when it has one, and goes live as soon as it is written.
 */
export function startSimulation(config: Readonly<AllInOneConfig>, { log, hooks, node, broker, ingest, models }: Shared & { node: NodeState; broker: BrokerPart | undefined; ingest: IngestPart | undefined; models: ModelsPart | undefined }):
  Promise<Part<SimulationPart>> {
  return part(log, async (defer) => {
    if (!broker && config.simulateBrokerUrl === '') throw lwError('LW_ERR_CONFIG_INVALID', `--simulate ${config.simulate} needs a broker: add broker to --roles (now ${JSON.stringify(config.roles)}) or give --simulate-broker-url`);
    const tokens = await provisionSimulatedTerminals(node.terminals, config.simulate);
    // Crews, a 24/7 rota and console notifications for the simulated lifts: escalation seen working.
    if (config.simulateCrew) defer(await provisionSimulatedCrew(node.state.crew, [...tokens.keys()], log));
    const demo = config.simulateHistoryDays > 0;
    const fleet = startSimulatedFleet({
      brokerUrl: config.simulateBrokerUrl || dialable(broker!.mqttUrl), count: demo ? 0 : config.simulate, seed: config.simulateSeed,
      p1PerMinute: config.simulateP1PerMinute, log, tokens, speed: config.simulateSpeed,
    });
    defer(() => fleet.stop());
    if (!demo) return { fleet, history: { done: Promise.resolve(), written: () => 0 } };
    node.later.simulatedSite = (liftId) => (tokens.has(liftId) ? demoSite(liftId) : undefined);
    const store = ingest?.ingest.sqliteTelemetry;
    if (!store) log(`liftwatch: demo history not written: it needs this node's SQLite records store (ingest role, --telemetry sqlite); the simulated lifts start without one`);
    const history = startDemoHistory({
      liftIds: [...tokens.keys()].sort(), mix: config.simulateMix, seed: config.simulateSeed, days: store ? config.simulateHistoryDays : 0,
      fastMs: config.simulateSpeed > 1 ? config.simulateFastHours * 3_600_000 : 0,
    }, {
      db: node.db, store, models: store ? models?.serving : undefined, visits: store ? node.state.visits : undefined,
      latestTs: async (liftId) => (await store?.latest(liftId))?.ts, ready: (liftId, sim, boot) => fleet.add(liftId, sim, boot), log,
      ...(hooks.now ? { now: hooks.now } : {}),
    });
    defer(() => history.stop());
    return { fleet, history };
  });
}

/** The broker's URL as a client dials it: a wildcard listen address becomes the loopback one. */
function dialable(mqttUrl: string): string {
  const u = new URL(mqttUrl);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  else if (u.hostname === '[::]') u.hostname = '[::1]';
  return u.toString().replace(/\/$/, '');
}

/** Gives the simulated terminals T-SIM-0001… fresh tokens (new ones are added, known ones rotated). */
async function provisionSimulatedTerminals(terminals: TerminalRegistry, count: number, prefix = 'SIM'): Promise<Map<string, string>> {
  const liftIds = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
  const tokens = new Map<string, string>();
  const known = new Set((await terminals.list()).map((t) => t.terminalId));
  const fresh = liftIds.filter((liftId) => !known.has(`T-${liftId}`));
  for (const issued of await terminals.addMany(fresh.map((liftId) => ({ liftId })))) tokens.set(issued.terminal.liftId ?? '', issued.token);
  for (const liftId of liftIds.filter((l) => !tokens.has(l))) tokens.set(liftId, (await terminals.rotate(`T-${liftId}`)).token);
  return tokens;
}
