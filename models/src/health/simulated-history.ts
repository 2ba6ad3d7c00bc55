import type { DoorRecord, EnvRecord, FaultRecord, LiftRecord, TripRecord } from '@liftwatch/contract';
import { createLiftSim } from '@liftwatch/simulator';

const DAY = 86_400_000;

/** Options of simulatedDoorWear. */
export interface SimulatedHistoryOptions {
  /** End of the history, ms. */
  readonly end: number;
  /** Days of history before `end`. */
  readonly days: number;
  /** Day (from the start) the door operator's friction starts to grow; Infinity: a healthy lift. @defaultValue days − 15 */
  readonly wornFromDay?: number;
  /** Days from the onset to door-protection trips (a linear law). @defaultValue 20 */
  readonly failDays?: number;
  /** Routine maintenance visits every this many days (the status shows inspection); 0: none. @defaultValue 15 */
  readonly visitEveryDays?: number;
  /** Share of the door operator's wear a visit repairs (0: visits that leave the door alone). @defaultValue 0 */
  readonly visitRepairsDoor?: number;
  /** @defaultValue 5 */
  readonly seed?: number;
  /** Multiplies the simulator's traffic (1 ≈ 700 trips a day on a residential lift). @defaultValue 0.3 */
  readonly trafficScale?: number;
  /** First seq. @defaultValue the simulator's (start × 1000) */
  readonly firstSeq?: number;
}

/**
 * A lift's history from the simulator, for demos, tests and benchmarks (not training data: the
 * models train on simulateFleet): 8 landings, a door operator wearing from `wornFromDay` (its
 * current rises, then its movements stretch, then door-time protection trips), routine visits.
 * `records` are the platform's trip, door, env and fault records and the status records that
 * change the service mode, in time order.
 */
export function simulatedDoorWear(liftId: string, o: SimulatedHistoryOptions): { records: LiftRecord[]; trips: TripRecord[]; doors: DoorRecord[]; envs: EnvRecord[]; faults: FaultRecord[] } {
  const start = o.end - o.days * DAY;
  const worn = o.wornFromDay ?? o.days - 15;
  const sim = createLiftSim({
    liftId, seed: o.seed ?? 5, startMs: start, fidelity: 'fast', floors: 8, trafficScale: o.trafficScale ?? 0.3,
    ...(o.firstSeq !== undefined ? { seqBase: o.firstSeq } : {}),
    faults: Number.isFinite(worn) ? [{ id: 'door-wear', kind: 'doorFrictionWear', onsetDay: worn, law: { type: 'linear', failDays: o.failDays ?? 20 } }] : [],
    ...((o.visitEveryDays ?? 15) > 0 ? { maintenance: { everyDays: o.visitEveryDays ?? 15, restore: { doorOperator: o.visitRepairsDoor ?? 0 } } } : {}),
  });
  let mode: unknown;
  const records = (sim.advanceTo(o.end) as LiftRecord[]).filter((r) => {
    if (r.stream !== 'status') return r.stream === 'trip' || r.stream === 'door' || r.stream === 'env' || r.stream === 'fault';
    const changed = r.record.serviceMode !== mode; // of the status stream, the changes of service mode (maintenance visits)
    mode = r.record.serviceMode;
    return changed;
  });
  const of = <T>(stream: string) => records.filter((r) => r.stream === stream).map((r) => r.record as T);
  return { records, trips: of<TripRecord>('trip'), doors: of<DoorRecord>('door'), envs: of<EnvRecord>('env'), faults: of<FaultRecord>('fault') };
}
