import type { AlertDetail, AlertState, AlertView, DeadLetterView, LiftSummary, RecordStream } from '@liftwatch/contract';

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
    /** Lift ids whose registry names this GB/T 2260 area code. */
    inArea?(areaCode: string): string[];
  };
  /** The telemetry store's queries (the TelemetryStore port of ingest, structurally). */
  readonly telemetry?: {
    range(q: { liftId: string; stream: RecordStream; field: string; fromMs: number; toMs: number; bucketMs: number }): Promise<Array<{ t: number; min: number; max: number; mean: number; count: number }>>;
    dailyCounts(stream: RecordStream, fromMs: number, toMs: number, liftId?: string): Promise<Array<{ liftId: string; day: string; count: number }>>;
    latestPerLift(stream: RecordStream, liftIds: readonly string[]): Promise<Map<string, { record: Record<string, unknown> }>>;
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
