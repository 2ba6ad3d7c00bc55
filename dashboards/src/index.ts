export { buildDashboards, type DashboardOptions } from './app.js';
export type { Change, ChangeFeed, DashboardDeps, StoredRecord } from './deps.js';
