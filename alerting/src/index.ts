export { createAlerting, type Alerting, type AlertingDeps, type RaiseRequest } from './alerting.js';
