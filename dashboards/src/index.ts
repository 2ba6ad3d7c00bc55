export { buildDashboards, type DashboardOptions } from './app.js';
export { createFleetIndex, type FleetIndex } from './fleet-index.js';
export type { Change, ChangeFeed, DashboardDeps, StoredRecord } from './deps.js';
export { createUserStore, type UserStore } from './auth/user-store.js';
export { randomPassword } from './auth/passwords.js';
export type { Role, User, UserInput } from './auth/schemas.js';
