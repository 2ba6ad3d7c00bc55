export * from './api.js';
export * from './codes.js';
export * from './decode.js';
export * from './errors.js';
export * from './examples.js';
export * from './streams/index.js';
export * from './topics.js';
export * from './version.js';
