export { buildDashboards, type DashboardOptions } from './app.js';
export { createFleetIndex, type FleetIndex } from './fleet-index.js';
export type { Change, ChangeFeed, DashboardDeps, HealthPort, LiftRegistryPort, ModelsPort, PredictionPort, Readiness, StoredRecord } from './deps.js';
export type { HealthView } from '@liftwatch/contract';
export { createUserStore, type StoredUser, type UserStore } from './auth/user-store.js';
export { checkPasswordStrength } from './auth/password-strength.js';
export { hashPassword, randomPassword } from './auth/passwords.js';
export { sha256 as sessionTokenSha256 } from './auth/user-store.js';
export type { Role, User, UserInput } from './auth/schemas.js';
