export { createBroker, type Broker, type BrokerConfig, type BrokerDeps, type BrokerRegistry } from './broker.js';
export { createTerminalRegistry, type TerminalRegistry, type TerminalRows, type Principal, type AddTerminal } from './terminal-registry.js';
export { parseTerminalsCsv } from './terminals-csv.js';
export { mayPublish, maySubscribe } from './acl.js';
export { DEFAULT_LIMITS, TokenBucket, type BrokerLimits } from './limits.js';
export type { TlsMaterial } from './listeners.js';
export { createSubscriberFrontDoor, type SubscriberFrontDoor, type SubscriberFrontDoorConfig } from './subscriber-front-door.js';
