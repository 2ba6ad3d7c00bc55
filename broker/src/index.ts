export { createBroker, type Broker, type BrokerConfig, type BrokerDeps } from './broker.js';
