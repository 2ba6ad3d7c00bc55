import type { TrafficProfile } from './traffic.js';
import type { CommsSpec, FaultSpec, MaintenancePolicy } from './fault-plan.js';

/** Options of one simulated lift (`createLiftSim`); all but the first three are optional. */
export interface LiftSimOptions {
  readonly liftId: string;
  readonly seed: number;
  /** Simulated clock at the start, ms since the epoch. */
  readonly startMs: number;
  /** First seq; a terminal's seq must keep rising across restarts. @defaultValue startMs × 1000 */
  readonly seqBase?: number;
  /** Landings, lowest is floor 1. @defaultValue drawn from 6–33 */
  readonly floors?: number;
  /** Rated speed, m/s. @defaultValue by height: 1.0 (≤ 11 floors), 1.75 (≤ 20), 2.5 (higher) */
  readonly ratedSpeedMps?: number;
  readonly profile?: TrafficProfile;
  /** Status period while idle, s. @defaultValue 10 */
  readonly statusIdleS?: number;
  /** Status period while moving, s. @defaultValue 1 */
  readonly statusMovingS?: number;
  /** Multiplies the profile's call rate (a demo wants busy lifts). @defaultValue 1 */
  readonly trafficScale?: number;
  /** Injected faults (docs/simulator.md). @defaultValue none: a healthy lift */
  readonly faults?: readonly FaultSpec[];
  /** Routine and corrective maintenance. @defaultValue none */
  readonly maintenance?: MaintenancePolicy;
  /** Machine-room air: yearly mean, daily half-swing and (optional) seasonal half-swing, °C. @defaultValue { meanC: 24, dailyAmpC: 5 } */
  readonly ambient?: { readonly meanC: number; readonly dailyAmpC: number; readonly seasonAmpC?: number };
  /**
   * `full`: status every `statusMovingS` while moving (100 Hz motion samples) and vibration over the
   * whole constant-speed region; `fast`: accelerated time, status on every change and heartbeats,
   * vibration over a 0.5 s stretch across a rail joint; `summary`: as fast, but status only when
   * the service mode changes and as a heartbeat, and env, device at longer periods (for datasets
   * of thousands of lift-years). @defaultValue 'full'
   */
  readonly fidelity?: 'full' | 'fast' | 'summary';
  /**
   * Scales the car's broadband ride noise and the accelerometer's noise floor (0.005 m/s² RMS, about
   * 0.5 mg, x and y). Lifts and sensors differ: the mixes draw it per lift. @defaultValue 1
   */
  readonly vibrationNoiseScale?: number;
  /** A failed brake-force test (E16) stops the lift until a corrective visit; otherwise it only warns. @defaultValue false */
  readonly brakeTestStops?: boolean;
  /** Keep raw windows of every trip and door cycle for `drainRaw()` (full fidelity only). @defaultValue false */
  readonly raw?: boolean;
  /** Keep the ground-truth stream for `drainTruth()`. @defaultValue false */
  readonly groundTruth?: boolean;
  /** Share of outages in which the automatic rescue device fails to bring the car to a landing. @defaultValue 0.7 */
  readonly ardFailProb?: number;
  /** Re-level when the stop error exceeds this, mm (GB/T 10058 levelling accuracy ±20 [unverified]). @defaultValue 20 */
  readonly relevelMm?: number;
  /** Data and comms faults are applied by `createCommsChannel`; here only the signal strength they follow. */
  readonly comms?: CommsSpec;
}
