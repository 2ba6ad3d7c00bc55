import { openStateDb, type OpenOptions } from './open.js';
import { createAlerts } from './stores/alerts.js';
import { createCrew } from './stores/crew.js';
import { createDeadLetters } from './stores/dead-letters.js';
import { createFindings } from './stores/findings.js';
import { createExchangeSources } from './stores/exchange-sources.js';
import { createHazards } from './stores/hazards.js';
import { createHealth } from './stores/health.js';
import { createLifts } from './stores/lifts.js';
import { createLiftRegistry } from './stores/lift-registry.js';
import { createInspections } from './stores/inspections.js';
import { createMaintenance } from './stores/maintenance.js';
import { createNotifications } from './stores/notifications.js';
import { createOutbox } from './stores/outbox.js';
import { createRescueCalls } from './stores/rescue-calls.js';
import { createStatistics } from './stores/statistics.js';
import { createTerminals } from './stores/terminals.js';
import { createTerminalConfigs } from './stores/terminal-config.js';
import { createUsers } from './stores/users.js';
import { createVisits } from './stores/visits.js';

/** Every store of the shared state over one database (SQLite or PostgreSQL). */
export async function openStateStore(options: OpenOptions) {
  const state = await openStateDb(options);
  return {
    dialect: state.dialect,
    db: state.db,
    lifts: createLifts(state),
    liftRegistry: createLiftRegistry(state),
    inspections: createInspections(state),
    maintenance: createMaintenance(state),
    terminals: createTerminals(state),
    crew: createCrew(state),
    users: createUsers(state),
    alerts: createAlerts(state),
    findings: createFindings(state),
    visits: createVisits(state),
    health: createHealth(state),
    notifications: createNotifications(state),
    deadLetters: createDeadLetters(state),
    outbox: createOutbox(state),
    exchangeSources: createExchangeSources(state),
    rescueCalls: createRescueCalls(state),
    statistics: createStatistics(state),
    hazards: createHazards(state),
    terminalConfigs: createTerminalConfigs(state),
    close: state.close,
  };
}
export type StateStore = Awaited<ReturnType<typeof openStateStore>>;

export { parseStateUrl, openStateDb, type OpenOptions, type StateDb, type Dialect } from './open.js';
export { migrateToLatest, migrations } from './migrations.js';
export type { StateTables } from './tables.js';
export type { AlertRecord, RaiseInput, ClosedAlertInput, AuditItem } from './stores/alerts.js';
export type { TerminalRow, NewTerminalRow } from './stores/terminals.js';
export type { UserRecord, UserWrite, UserRole, AuditLine } from './stores/users.js';
export type { HealthPoint } from './stores/health.js';
export type { LiftRecord, LiftSummaryDelta } from './stores/lifts.js';
export type { LiftRegistryRecord, LiftRegistryWrite } from './stores/lift-registry.js';
export type { NewWorkOrder, PhotoWrite, PlanWrite, WorkOrderChange } from './stores/maintenance.js';
export type { DeadLetterCount, DeadLetterStore, DeadLetterTally, DeadLetterWrite } from './stores/dead-letters.js';
export type { OutboxBacklog, OutboxMessage, OutboxState, OutboxWrite } from './stores/outbox.js';
export type { AlertAuditLine, ExchangeSources, RegistryLine, VisitLine } from './stores/exchange-sources.js';
export type { RescueCallRecord, RescueCallWrite } from './stores/rescue-calls.js';
export type { StatAlertRow, StatLiftRow, Statistics } from './stores/statistics.js';
export type { HazardFilter, HazardPhoto, HazardWrite } from './stores/hazards.js';
export type { TerminalConfigs } from './stores/terminal-config.js';
export { copyState } from './copy.js';
export { ensureJobQueueTable, ensureNodeTable, NODE_TABLE_NAMES, type NodeTable } from './node-tables.js';
