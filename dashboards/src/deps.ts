import type { AlertDetail, AlertState, AlertView, DeadLetterView, IssuedTerminal, LiftSummary, TerminalRole, TerminalView } from '@liftwatch/contract';

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
    records(liftId: string, opts: { stream?: string; limit: number }): StoredRecord[];
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
  readonly changes: ChangeFeed;
  /** The broker's terminal registry (issue 4); without it the /api/terminals routes are not there. */
  readonly terminals?: TerminalsPort;
}

/** Provision, list, enable/disable and rotate the terminals and service accounts the broker lets in. */
export interface TerminalsPort {
  add(input: { liftId?: string | undefined; terminalId?: string | undefined; role?: TerminalRole | undefined }): Promise<IssuedTerminal>;
  /** One terminal a line, `liftId[,terminalId[,role]]`; all or none are added. */
  addCsv(text: string): Promise<IssuedTerminal[]>;
  rotate(terminalId: string): Promise<IssuedTerminal>;
  setEnabled(terminalId: string, enabled: boolean): TerminalView;
  get(terminalId: string): TerminalView | undefined;
  list(filter?: { liftId?: string }): TerminalView[];
}
