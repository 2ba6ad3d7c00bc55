import type { DoorRecord, EnvRecord, FaultRecord, TripRecord } from '@liftwatch/contract';
import type { AnyRecord } from '../features/lift-state.js';
import { computeHealth } from '../health/health.js';
import { HEALTH_PARAMS } from '../health/params.js';

const DAY = 86_400_000;

/** A health grade at a time (undefined grade: not enough data to grade). */
export interface GradeSample { readonly at: number; readonly grade: string | undefined; readonly score: number }

/**
 * The health score of a lift being replayed, graded every `stepMs`: the records of the score's
 * windows are kept (trips and faults for its 90-day window, doors and env readings for 37 days)
 * and older ones dropped, so memory stays bounded however long the run.
 */
export function createHealthSampler(liftId: string, stepMs: number) {
  const p = HEALTH_PARAMS;
  const longMs = (p.rareWindowDays + p.recentDays) * DAY;
  const shortMs = (p.windowDays + p.recentDays) * DAY;
  const lists = { trip: [] as TripRecord[], door: [] as DoorRecord[], env: [] as EnvRecord[], fault: [] as FaultRecord[] };
  const keepMs = { trip: longMs, fault: longMs, door: shortMs, env: shortMs };
  const grades: GradeSample[] = [];
  let due = NaN;

  const trim = (at: number) => {
    for (const k of ['trip', 'door', 'env', 'fault'] as const) {
      const l = lists[k] as Array<{ ts: number }>;
      let i = 0;
      while (i < l.length && l[i]!.ts < at - keepMs[k]) i++;
      if (i > 0) l.splice(0, i);
    }
  };

  return {
    grades,
    add(stream: string, r: AnyRecord): void {
      if (stream === 'trip' || stream === 'door' || stream === 'env' || stream === 'fault') (lists[stream] as unknown[]).push(r);
    },
    /** Grade at `at` when a step has passed since the last grade. */
    grade(at: number): void {
      if (!Number.isNaN(due) && at < due) return;
      due = at + stepMs;
      trim(at);
      const h = computeHealth({ liftId, trips: lists.trip, doors: lists.door, envs: lists.env, faults: lists.fault }, at);
      grades.push({ at, grade: h.grade, score: h.score });
    },
  };
}
