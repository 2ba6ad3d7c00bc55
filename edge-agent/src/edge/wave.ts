import type { WaveRecord } from '@liftwatch/contract';
import type { RecordDraft } from '../spool/spool.js';
import type { Signal } from './raw.js';
import { maxAbs } from './signal-math.js';

type WaveFields = Omit<WaveRecord, 'schemaVersion' | 'liftId' | 'seq' | 'ts'>;

/** At most this many samples per wave record (contract `wave.samples` maxItems). */
export const MAX_WAVE_SAMPLES = 32_768;

/**
 * A raw window as one `wave` record: int16 samples with a scale (physical = sample × scale), the
 * compact form of docs/telemetry.md#design-rules. A longer window is cut to its first
 * MAX_WAVE_SAMPLES samples.
 */
export function encodeWave(channel: WaveRecord['channel'], signal: Signal, startTs: number): RecordDraft {
  const n = Math.min(signal.samples.length, MAX_WAVE_SAMPLES);
  const peak = maxAbs(Array.prototype.slice.call(signal.samples, 0, n) as number[]);
  const scale = peak > 0 ? peak / 32_767 : 1;
  const samples = new Array<number>(n);
  for (let i = 0; i < n; i++) samples[i] = Math.max(-32_768, Math.min(32_767, Math.round(signal.samples[i]! / scale)));
  const unit: WaveRecord['unit'] = channel === 'motorI' || channel === 'doorI' ? 'A' : 'm/s2';
  const fields: WaveFields = { channel, fsHz: signal.fsHz, unit, startTs, scale, samples };
  return { stream: 'wave', record: { ts: startTs, ...fields } };
}
