export { buildDashboards, type DashboardOptions } from './app.js';
export type { Change, ChangeFeed, DashboardDeps, HealthPort, HealthView, ModelsPort, StoredRecord } from './deps.js';
export { createUserStore, type UserStore } from './auth/user-store.js';
export { randomPassword } from './auth/passwords.js';
export type { Role, User, UserInput } from './auth/schemas.js';
