import type { AlertDetail, AlertState, AlertView, DeadLetterView, LiftSummary } from '@liftwatch/contract';

/** A change the live page should see. */
export type Change = { kind: 'lifts'; liftIds: string[] } | { kind: 'alert'; alert: AlertView };

export interface ChangeFeed {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: Change) => void): () => void;
}

export interface StoredRecord { stream: string; seq: number; ts: number; receivedAt: number; record: unknown }

/** What the dashboards read and do, as ports: the all-in-one process wires them to ingest and alerting. */
export interface DashboardDeps {
  readonly lifts: {
    list(opts: { limit: number; offset: number }): LiftSummary[];
    get(liftId: string): LiftSummary | undefined;
    count(): number;
    records(liftId: string, opts: { stream?: string; limit: number }): Promise<StoredRecord[]>;
  };
  readonly alerts: {
    list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number }): AlertView[];
    get(id: number): AlertDetail | undefined;
    transition(id: number, to: AlertState, actor: string, note?: string): AlertView;
  };
  readonly deadLetters: {
    list(opts: { limit: number; offset: number }): DeadLetterView[];
    count(): number;
  };
  readonly stats: () => Record<string, unknown>;
  /** Prometheus text exposition for GET /metrics. */
  readonly metrics?: { text(): Promise<string>; contentType: string };
  readonly changes: ChangeFeed;
}
