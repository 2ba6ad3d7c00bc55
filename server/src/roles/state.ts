import type Database from 'better-sqlite3';
import type { LiftSummary } from '@liftwatch/contract';
import { createTerminalRegistry, type TerminalRegistry } from '@liftwatch/broker';
import { createUserStore, type UserStore } from '@liftwatch/dashboards';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { createChangeFeed, type LiveChangeFeed } from '../change-feed.js';
import type { AllInOneConfig } from '../config.js';
import { openDatabase } from '../sqlite.js';
import { part, type Part, type Shared } from './part.js';

export interface NodeState {
  /** The node's SQLite file (data dir): its records and the local job queue; in the all-in-one also the state. */
  readonly db: Database.Database;
  /** Alerts, crews, visits, users, terminals, lifts and health history (packages/state-store). */
  readonly state: StateStore;
  /** Whether other nodes share the state (--state-url): else this process is the only one on it. */
  readonly shared: boolean;
  /** The console's live changes; with Redis, those of every node (change-feed.ts). */
  readonly feed: LiveChangeFeed;
  /** Terminals and service accounts that may connect to a broker. */
  readonly terminals: TerminalRegistry;
  /** Users, sessions and the audit of writes. */
  readonly users: UserStore;
  /** What parts started later offer the earlier ones (the HTTP address, this node's lifts): set when they start. */
  readonly later: LaterParts;
}

/** Filled in as parts start: alerting starts before ingest and the HTTP server, yet its notifications name the lift and link to the console. */
export interface LaterParts {
  httpUrl?: string;
  /** This node's ingest: a lift's summary, with what its terminal reported about itself. */
  localLift?: (liftId: string) => LiftSummary | undefined;
  /** The simulation's name and address of a lift of its own, known before the lift's terminal reports them (a demo lift during its history). */
  simulatedSite?: (liftId: string) => { name: string; address: string } | undefined;
}

/**
 * What the node keeps and shares: its SQLite file, and the state store over it (the all-in-one,
 * on the same connection) or over PostgreSQL with --state-url (shared by every node); the change
 * feed; the terminal registry and the users, over the state store.
 */
export function startState(config: Readonly<AllInOneConfig>, { log }: Shared): Promise<Part<NodeState>> {
  return part(log, async (defer) => {
    const db = openDatabase(config.dataDir);
    defer(() => db.close());
    const shared = config.stateUrl !== '';
    const state = await openStateStore(shared ? { url: config.stateUrl } : { url: `sqlite:${db.name}`, connection: db });
    defer(() => state.close());
    if (shared) log(`liftwatch: shared state in ${state.dialect} (users, sessions, audit of writes, terminal registry, lifts, alerts and crews)`);
    const feed = createChangeFeed({ redisUrl: config.redisUrl || undefined, log });
    defer(() => feed.close());
    return { db, state, shared, feed, terminals: createTerminalRegistry(state.terminals), users: createUserStore(state.users), later: {} };
  });
}
