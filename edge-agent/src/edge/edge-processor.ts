import type { RecordDraft } from '../spool/spool.js';
import { summarizeDoor } from './door-summary.js';
import type { DoorRaw, TripRaw } from './raw.js';
import { summarizeTrip, type TripSummary } from './trip-summary.js';
import { encodeWave } from './wave.js';

export interface WaveThresholds {
  /** A trip whose vertical A95 exceeds this sends its raw windows. @defaultValue 0.20 m/s² (GB/T 10058-2009, z A95) */
  readonly vibA95ZMps2: number;
  /** Same for the horizontal axes. @defaultValue 0.15 m/s² (GB/T 10058-2009, x/y A95) */
  readonly vibA95XYMps2: number;
}

export const DEFAULT_WAVE_THRESHOLDS: WaveThresholds = Object.freeze({ vibA95ZMps2: 0.2, vibA95XYMps2: 0.15 });

/** Why a trip's raw windows go up: an anomaly in its summary, or undefined for a normal trip. */
export function waveReason(s: TripSummary, t: WaveThresholds): string | undefined {
  if ((s.vibA95ZMps2 ?? 0) > t.vibA95ZMps2) return `vibA95Z ${s.vibA95ZMps2} > ${t.vibA95ZMps2}`;
  if ((s.vibA95XMps2 ?? 0) > t.vibA95XYMps2) return `vibA95X ${s.vibA95XMps2} > ${t.vibA95XYMps2}`;
  if ((s.vibA95YMps2 ?? 0) > t.vibA95XYMps2) return `vibA95Y ${s.vibA95YMps2} > ${t.vibA95XYMps2}`;
  return undefined;
}

function tripWaves(raw: TripRaw): RecordDraft[] {
  const out: RecordDraft[] = [];
  if (raw.vib?.x) out.push(encodeWave('vibX', raw.vib.x, raw.startTs));
  if (raw.vib?.y) out.push(encodeWave('vibY', raw.vib.y, raw.startTs));
  if (raw.vib?.z) out.push(encodeWave('vibZ', raw.vib.z, raw.startTs));
  if (raw.motorIA) out.push(encodeWave('motorI', raw.motorIA, raw.startTs));
  return out;
}

/**
 * Edge computation of a terminal: one `trip` record per trip and one `door` record per door cycle,
 * computed from raw signals. Raw windows are sent only on request (cmd sendWave: the last trip's)
 * or when a trip's summary is anomalous; never one message per sample.
 */
export function createEdgeProcessor(emit: (drafts: RecordDraft[]) => void, thresholds: WaveThresholds = DEFAULT_WAVE_THRESHOLDS) {
  let lastTrip: TripRaw | undefined;
  let current = thresholds;
  const stats = { trips: 0, doors: 0, waveWindows: 0 };
  return {
    trip(raw: TripRaw): TripSummary {
      const summary = summarizeTrip(raw);
      lastTrip = raw;
      stats.trips++;
      const end = raw.startTs + Math.round(summary.durationS * 1000);
      const drafts: RecordDraft[] = [{ stream: 'trip', record: { ts: end, ...summary } }];
      if (waveReason(summary, current) !== undefined) drafts.push(...tripWaves(raw));
      stats.waveWindows += drafts.length - 1;
      emit(drafts);
      return summary;
    },
    door(raw: DoorRaw) {
      const summary = summarizeDoor(raw);
      stats.doors++;
      const end = raw.startTs + Math.round((raw.position.samples.length / raw.position.fsHz) * 1000);
      emit([{ stream: 'door', record: { ts: end, ...summary } }]);
      return summary;
    },
    /** cmd sendWave: the raw windows of the last trip. */
    sendWave(): number {
      if (!lastTrip) return 0;
      const waves = tripWaves(lastTrip);
      stats.waveWindows += waves.length;
      emit(waves);
      return waves.length;
    },
    setThresholds(t: Partial<WaveThresholds>): void {
      current = { ...current, ...t };
    },
    stats: () => ({ ...stats }),
  };
}

export type EdgeProcessor = ReturnType<typeof createEdgeProcessor>;
