import type { TerminalRegistry } from '@liftwatch/broker';
import { lwError } from '@liftwatch/contract';
import { startSimulatedFleet, type SimulatedFleet } from '@liftwatch/edge-agent';
import type { AllInOneConfig } from '../config.js';
import { provisionSimulatedCrew } from '../simulated-crew.js';
import type { BrokerPart } from './broker.js';
import { part, type Part, type Shared } from './part.js';
import type { NodeState } from './state.js';

/**
 * `--simulate N`: terminals T-SIM-0001… provisioned in the registry (new ones added, known ones given
 * fresh tokens), crews on call for them (unless --simulate-crew false), and the simulated fleet
 * publishing to this node's broker or to --simulate-broker-url.
 */
export function startSimulation(config: Readonly<AllInOneConfig>, { log, node, broker }: Shared & { node: NodeState; broker: BrokerPart | undefined }): Promise<Part<SimulatedFleet>> {
  return part(log, async (defer) => {
    if (!broker && config.simulateBrokerUrl === '') throw lwError('LW_ERR_CONFIG_INVALID', `--simulate ${config.simulate} needs a broker: add broker to --roles (now ${JSON.stringify(config.roles)}) or give --simulate-broker-url`);
    const tokens = await provisionSimulatedTerminals(node.terminals, config.simulate);
    // Crews, a 24/7 rota and console notifications for the simulated lifts: escalation seen working.
    if (config.simulateCrew) defer(await provisionSimulatedCrew(node.state.crew, [...tokens.keys()], log));
    const fleet = startSimulatedFleet({ brokerUrl: config.simulateBrokerUrl || dialable(broker!.mqttUrl), count: config.simulate, seed: config.simulateSeed, p1PerMinute: config.simulateP1PerMinute, log, tokens });
    defer(() => fleet.stop());
    return fleet;
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
