import type { DoorRecord, EnvRecord, FaultRecord, TripRecord } from '@liftwatch/contract';

/** One lift's stored records, each list sorted by `ts` ascending: the input of features and health. */
export interface LiftRecords {
  readonly liftId: string;
  readonly trips: readonly TripRecord[];
  readonly doors: readonly DoorRecord[];
  readonly envs: readonly EnvRecord[];
  readonly faults: readonly FaultRecord[];
}

/** The records of `list` with from ≤ ts < to, found by binary search (lists are sorted by ts). */
export function between<T extends { ts: number }>(list: readonly T[], from: number, to: number): readonly T[] {
  return list.slice(lowerBound(list, from), lowerBound(list, to));
}

function lowerBound<T extends { ts: number }>(list: readonly T[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sort a lift's records by ts (a reader may receive them out of order). */
export function sortRecords(r: LiftRecords): LiftRecords {
  const by = <T extends { ts: number }>(l: readonly T[]) => [...l].sort((a, b) => a.ts - b.ts);
  return { liftId: r.liftId, trips: by(r.trips), doors: by(r.doors), envs: by(r.envs), faults: by(r.faults) };
}

/** The evidence id of a record, as health reasons cite it: `<liftId>/<stream>/<seq>`. */
export function evidenceId(stream: string, r: { liftId: string; seq: number }): string {
  return `${r.liftId}/${stream}/${r.seq}`;
}
