export { createLiftSim, P1_KINDS, type LiftSim, type LiftSimOptions, type P1Kind } from './lift-sim.js';
export { sCurve, type MotionLimits, type MotionSample } from './motion.js';
export { createRandom, mixSeed, type Random } from './prng.js';
export { callRatePerHour, type TrafficProfile } from './traffic.js';
