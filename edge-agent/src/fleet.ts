import { mixSeed } from '@liftwatch/simulator';
import { createEdgeAgent, type EdgeAgent } from './agent.js';
import { createSimSource } from './sources/sim-source.js';
import { openSqliteSpool } from './spool/sqlite-spool.js';

export interface AgentFleetOptions {
  readonly brokerUrl: string;
  /** Terminals, one MQTT connection and one simulated lift each. */
  readonly count: number;
  /** Same seed, same fleet. @defaultValue 1 */
  readonly seed?: number;
  /** One spool file shared by the fleet; ':memory:' for none on disk. @defaultValue ':memory:' */
  readonly spoolPath?: string;
  /** Multiplies each lift's call rate. @defaultValue 3 */
  readonly trafficScale?: number;
  /** Simulated seconds per wall-clock second. @defaultValue 1 */
  readonly speed?: number;
  /** Lift id prefix. @defaultValue 'FLEET' */
  readonly prefix?: string;
  /** Tokens by lift id: terminal T-<liftId> authenticates with its token (user name = client id). */
  readonly tokens?: ReadonlyMap<string, string>;
  readonly log?: (line: string) => void;
}

export interface FleetStatus {
  readonly terminals: number;
  readonly connected: number;
  /** Records acknowledged since start. */
  readonly sent: number;
  /** Records waiting in the spool. */
  readonly spooled: number;
  /** Records acknowledged per second since the previous call. */
  readonly ratePerS: number;
}

/** N terminals in one process (demos and load): each a full agent, all sharing one spool file. */
export function startAgentFleet(options: AgentFleetOptions) {
  const seed = options.seed ?? 1;
  const prefix = options.prefix ?? 'FLEET';
  const spool = openSqliteSpool({ path: options.spoolPath ?? ':memory:', synchronous: 'normal' });
  const agents: EdgeAgent[] = [];
  for (let i = 0; i < options.count; i++) {
    const liftId = `${prefix}-${String(i + 1).padStart(5, '0')}`;
    const source = createSimSource({ liftId, seed: mixSeed(seed, i + 1), trafficScale: options.trafficScale ?? 3, speed: options.speed ?? 1, tickMs: 1000 });
    const token = options.tokens?.get(liftId);
    const agent = createEdgeAgent({ brokerUrl: options.brokerUrl, liftId, maxInflight: 8, ...(token === undefined ? {} : { username: `T-${liftId}`, password: token }) }, { source, spool, ...(options.log ? { log: options.log } : {}) });
    agent.start();
    agents.push(agent);
  }
  let last = { at: Date.now(), sent: 0 };

  function status(): FleetStatus {
    let connected = 0;
    let sent = 0;
    for (const a of agents) {
      const p = a.stats().publisher;
      if (p.connected) connected++;
      sent += p.sent;
    }
    const at = Date.now();
    const ratePerS = at > last.at ? ((sent - last.sent) * 1000) / (at - last.at) : 0;
    last = { at, sent };
    return { terminals: agents.length, connected, sent, spooled: spool.stats().backlog, ratePerS };
  }

  return {
    agents,
    status,
    async stop(): Promise<void> {
      await Promise.all(agents.map((a) => a.close(1_000)));
      spool.close();
    },
  };
}

export type AgentFleet = ReturnType<typeof startAgentFleet>;

export function formatStatus(s: FleetStatus): string {
  return `connected ${s.connected}/${s.terminals}  sent ${s.sent}  spooled ${s.spooled}  rate ${s.ratePerS.toFixed(0)}/s`;
}
