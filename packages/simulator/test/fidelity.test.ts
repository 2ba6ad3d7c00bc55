import { describe, expect, it } from 'vitest';
import type { LiftRecord } from '@liftwatch/contract';
import { createLiftSim } from '../src/index.js';

const START = Date.UTC(2026, 6, 1, 16, 0, 0); // 00:00 China time

/** A day of one lift with a mild roller flat spot, at a fidelity. */
function day(fidelity: 'summary' | 'full'): LiftRecord[] {
  const sim = createLiftSim({
    liftId: 'FID-1', seed: 21, startMs: START, floors: 16, fidelity, raw: fidelity === 'full',
    faults: [{ id: 'roller', kind: 'rollerFlatSpot', onsetDay: 0, law: { type: 'linear', failDays: 0.001 }, severityMax: 0.4 }],
  });
  const out: LiftRecord[] = [];
  for (let h = 1; h <= 24; h++) { out.push(...sim.advanceTo(START + h * 3_600_000)); sim.drainRaw(); }
  return out;
}

const values = (records: LiftRecord[], stream: 'trip' | 'door', field: string) =>
  records.filter((r) => r.stream === stream).map((r) => (r.record as unknown as Record<string, unknown>)[field]).filter((v): v is number => typeof v === 'number');
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('summary fidelity agrees with full fidelity for the same lift and seed', () => {
  it('traffic, kinematics, drive, brake, ride quality and door figures have the same means', () => {
    const summary = day('summary');
    const full = day('full'); // raw windows: each trip's own vibration window, status every second while moving
    expect(values(summary, 'trip', 'durationS').length / values(full, 'trip', 'durationS').length).toBeGreaterThan(0.8);
    expect(values(summary, 'trip', 'durationS').length / values(full, 'trip', 'durationS').length).toBeLessThan(1.25);
    const close = (stream: 'trip' | 'door', field: string, relative: number) => {
      const s = mean(values(summary, stream, field));
      const f = mean(values(full, stream, field));
      expect(Math.abs(s - f) / Math.abs(f), `${stream}.${field}: summary ${s.toFixed(4)}, full ${f.toFixed(4)}`).toBeLessThan(relative);
    };
    for (const f of ['durationS', 'vMaxMps', 'motorIRmsA', 'brakeDropMs', 'brakeLiftMs', 'energyWh']) close('trip', f, 0.05);
    for (const f of ['vibA95XMps2', 'vibA95YMps2', 'vibA95ZMps2', 'vibMaxPkPkXMps2', 'vibKurtosisX']) close('trip', f, 0.15);
    for (const f of ['openS', 'closeS', 'dwellS', 'doorMotorIMeanA', 'lockMadeMs']) close('door', f, 0.05);
    expect(Math.abs(mean(values(summary, 'trip', 'stopErrMm')) - mean(values(full, 'trip', 'stopErrMm')))).toBeLessThan(0.5); // mm, around 0
    // Status: every second while moving at full fidelity, heartbeats and changes in summary.
    expect(summary.filter((r) => r.stream === 'status').length).toBeLessThan(200);
    expect(full.filter((r) => r.stream === 'status').length).toBeGreaterThan(5_000);
  }, 60_000);
});
