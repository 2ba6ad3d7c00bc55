import type Database from 'better-sqlite3';
import { faultCode, lwError, severityOf, type AlertDetail, type AlertState, type AlertView, type EvidenceRef } from '@liftwatch/contract';
import { createSqliteAlertStore, type AlertRow } from './sqlite-alert-store.js';

export interface AlertingDeps {
  readonly db: Database.Database;
  /** Called after every change of an alert, with its new view; the web page's live feed listens here. */
  readonly onChange?: (alert: AlertView) => void;
  /** Server clock, ms. @defaultValue Date.now */
  readonly now?: () => number;
}

export interface RaiseRequest {
  liftId: string;
  code: string;
  /** Why, in words a crew understands, with the values that fired the rule. */
  reason: string;
  evidence: EvidenceRef;
  passengersPresent?: boolean | undefined;
}

/** Allowed moves of the lifecycle (DESIGN.md, Alerts): open → acknowledged → on site → resolved, or a false alarm. */
const NEXT: Readonly<Record<AlertState, readonly AlertState[]>> = {
  open: ['acknowledged', 'onSite', 'resolved', 'falseAlarm'],
  acknowledged: ['onSite', 'resolved', 'falseAlarm'],
  onSite: ['resolved', 'falseAlarm'],
  resolved: [],
  falseAlarm: [],
};

function toView(row: AlertRow): AlertView {
  const code = faultCode(row.code);
  return {
    id: row.id, liftId: row.lift_id, code: row.code, severity: row.severity, state: row.state, reason: row.reason,
    nameEn: code?.nameEn ?? row.code, nameZh: code?.nameZh ?? row.code,
    openedAt: row.opened_at, updatedAt: row.updated_at, lastSeenAt: row.last_seen_at,
    conditionClearedAt: row.condition_cleared_at, occurrences: row.occurrences,
  };
}

/** The alert lifecycle over SQLite: one alert per (lift, code) with a count, occurrences as evidence, an audit trail. */
export function createAlerting(deps: AlertingDeps) {
  const store = createSqliteAlertStore(deps.db);
  const now = deps.now ?? Date.now;
  const emit = (id: number) => {
    const row = store.get(id);
    if (row && deps.onChange) deps.onChange(toView(row));
  };

  /** Opens an alert or counts one more occurrence of the active one. Returns the alert and whether it is new. */
  function raise(req: RaiseRequest): { alert: AlertView; created: boolean; counted: boolean } {
    const code = faultCode(req.code);
    if (!code) throw lwError('LW_ERR_UNKNOWN_FAULT_CODE', `alert code ${JSON.stringify(req.code)} is not in the code table`);
    const result = store.raise({ liftId: req.liftId, code: req.code, severity: severityOf(code, req.passengersPresent), reason: req.reason, evidence: req.evidence, at: now() });
    if (result.counted) emit(result.alertId);
    return { alert: toView(store.get(result.alertId)!), created: result.created, counted: result.counted };
  }

  /** The condition behind an active alert went away (e.g. a fault "cleared"); the alert stays until a person closes it. */
  function conditionCleared(liftId: string, code: string, note: string): void {
    const id = store.clearCondition(liftId, code, now(), note);
    if (id !== undefined) emit(id);
  }

  function transition(id: number, to: AlertState, actor: string, note = ''): AlertView {
    const row = store.get(id);
    if (!row) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    if (!NEXT[row.state].includes(to)) {
      throw lwError('LW_ERR_REQUEST_INVALID', `alert ${id} is ${row.state}; it can move to ${NEXT[row.state].join(', ') || 'nothing (it is closed)'}, not to ${to}`);
    }
    store.transition(id, to, actor, note, now());
    emit(id);
    return toView(store.get(id)!);
  }

  function list(filter: { state?: 'active' | AlertState; liftId?: string; limit?: number } = {}): AlertView[] {
    return store.list({ ...filter, limit: filter.limit ?? 500 }).map(toView);
  }

  function get(id: number, evidenceLimit = 50): AlertDetail | undefined {
    const row = store.get(id);
    const extra = store.detail(id, evidenceLimit);
    return row && extra ? { ...toView(row), ...extra } : undefined;
  }

  return { raise, conditionCleared, transition, list, get, activeCountsByLift: store.activeCountsByLift };
}

export type Alerting = ReturnType<typeof createAlerting>;
