import { CONTRACT_VERSION, type EnvRecord } from '@liftwatch/contract';
import type { Random } from './prng.js';
import { round1 } from './round.js';


const RTH0_K_PER_W = 0.08; // winding to machine-room air, clean fan
const CTH_J_PER_K = 22_500; // τ = R·C = 30 min for a clean motor
/** Days from 1970-01-01 to 24 July 1970: the phase of the yearly cycle (northern hemisphere). */
const SUMMER_PEAK_DAY = 204;

/**
 * Motor winding temperature, a first-order RC model (docs/simulator.md):
 * C·dθ/dt = I²R_w − (θ − θ_amb)/R_th. Between trips it relaxes to the machine-room air; each trip
 * adds its I²R_w·t heat. A fan or dust fault raises R_th (the `motorOverheat` fault), so the same duty
 * runs hotter. The air follows a daily sine with its peak at 15:00 local time (China Standard Time)
 * and, with `seasonAmpC`, a yearly one with its peak in late July.
 */
export function createThermal(ambient: { meanC: number; dailyAmpC: number; seasonAmpC?: number }, startMs: number) {
  const seasonAmp = ambient.seasonAmpC ?? 0;
  const airC = (ms: number): number => {
    const hour = ((ms / 3_600_000 + 8) % 24 + 24) % 24;
    // The season: warmest about 24 July (day 205 of the year), coldest about 22 January.
    const season = seasonAmp === 0 ? 0 : seasonAmp * Math.cos(((ms / 86_400_000 - SUMMER_PEAK_DAY) / 365.25) * 2 * Math.PI);
    return ambient.meanC + season + ambient.dailyAmpC * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
  };
  // Winding temperature and the time it was computed for, in an object's fields (updated in place;
  // closure variables holding non-integers would allocate at every store).
  const winding = { theta: airC(startMs) + 10, last: startMs };
  return {
    /** Advances the model to `ms` with the thermal resistance multiplier in force, then adds `heatJ`. */
    advance(ms: number, rthX: number, heatJ: number): void {
      const dt = (ms - winding.last) / 1000;
      if (dt > 0) {
        const tau = RTH0_K_PER_W * rthX * CTH_J_PER_K;
        const air = airC(ms);
        winding.theta = air + (winding.theta - air) * Math.exp(-dt / tau);
        winding.last = ms;
      }
      // Heat of a trip: the steady rise it would give is P·R_th, reached with τ = R_th·C; a short
      // trip adds heat/C, and the higher R_th keeps it longer.
      winding.theta += heatJ / CTH_J_PER_K;
    },
    windingC: (): number => winding.theta,
    airC,
    /** An env record (built whole with its envelope) of the machine room and the motor now. */
    reading(rnd: Random, ms: number, mains: boolean, envelope: { liftId: string; seq: number; ts: number }): EnvRecord {
      const air = airC(ms) + rnd.normal(0, 0.3);
      const fields: EnvRecord = {
        schemaVersion: CONTRACT_VERSION, liftId: envelope.liftId, seq: envelope.seq, ts: envelope.ts,
        machineRoomTempC: round1(air), machineRoomRhPct: Math.round(55 + rnd.normal(0, 3)), motorWindingTempC: round1(winding.theta + rnd.normal(0, 0.5)),
        driveHeatsinkTempC: round1(air + 0.45 * (winding.theta - air) + rnd.normal(0, 0.8)),
      };
      if (mains) fields.supplyVoltageV = Math.round(rnd.normal(380, 4));
      else fields.supplyVoltageV = 0;
      return fields;
    },
  };
}
