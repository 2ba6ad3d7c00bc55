export { startSimulatedFleet, type SimulatedFleet, type SimulatedFleetOptions } from './simulated-fleet.js';
