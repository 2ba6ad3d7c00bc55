export * from './alert-jobs.js';
export * from './live-change.js';
export * from './receiver.js';
export * from './rule-state.js';
