/**
 * Raw signals a terminal samples, as the edge computation takes them. The simulator's raw windows
 * and a real sensor board fill these; the summaries never depend on where they came from.
 */

/** Equally spaced samples of one signal. */
export interface Signal {
  /** Sample rate, Hz. */
  readonly fsHz: number;
  readonly samples: ArrayLike<number>;
}

/** One trip, from brake lift to brake drop. */
export interface TripRaw {
  /** Time of the first sample, ms since the epoch. */
  readonly startTs: number;
  readonly fromFloor: number;
  readonly toFloor: number;
  /** Car position from the bottom landing, m (encoder or absolute position system). */
  readonly posM: Signal;
  /** Position of the target landing, m: the stopping error is measured against it. */
  readonly targetPosM: number;
  /** Car vibration, m/s², with the motion's own acceleration removed (ISO 18738 axes: z vertical). */
  readonly vib?: { readonly x?: Signal; readonly y?: Signal; readonly z?: Signal };
  /** Motor current, A (one phase, or the drive's current magnitude). */
  readonly motorIA?: Signal;
  /** Electrical power drawn by the drive, W (negative while regenerating). */
  readonly powerW?: Signal;
  /** Re-levelling moves after the stop, counted by the controller. @defaultValue 0 */
  readonly relevels?: number;
  readonly brakeLiftMs?: number;
  readonly brakeDropMs?: number;
  readonly loadPctStart?: number;
}

/** One door cycle, from the start of opening to lock contact made (or a timeout). */
export interface DoorRaw {
  readonly startTs: number;
  readonly floor: number;
  readonly side: 'A' | 'B';
  /** Door opening, 0 closed … 1 fully open (door operator encoder). */
  readonly position: Signal;
  /** Door motor current, A, same rate as `position`. */
  readonly motorIA?: ArrayLike<number>;
  /** Door lock contact, 1 made, same rate as `position`. */
  readonly lock?: ArrayLike<number>;
  /** Light curtain, 1 interrupted, same rate as `position`. */
  readonly curtain?: ArrayLike<number>;
}
