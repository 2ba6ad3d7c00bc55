import { CONTRACT_VERSION, type DoorRecord, type EnvRecord, type FaultRecord, type TripRecord } from '@liftwatch/contract';
import { prng, type Prng } from './prng.js';
import { FAMILY_NAMES, type Family, type FailureLabel, type LabelledLift } from './training-data.js';

/**
 * STAND-IN labelled data until issue 3's simulator dataset (degradation, fault injection, ground
 * truth) is merged: physics-shaped degradation of our own. Each lift has its own healthy baseline;
 * a failure of a family is preceded by a precursor growing as s = ((t − onset)/lead)² over a lead
 * of 5–20 days (domain §3 "typical lead": days to weeks), then repaired at the failure. Transient
 * disturbances that end without a failure (sill debris, a hot week, a busy day) make precursors
 * alone imperfect, as in the field.
 */
export interface SyntheticOptions {
  /** Lifts to generate. @defaultValue 20 */
  lifts?: number;
  /** Days per lift. @defaultValue 60 */
  days?: number;
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
  /** Scenario mix name, for the manifest and held-out splits. @defaultValue 'mixed' */
  scenario?: 'mixed' | 'door-heavy' | 'quiet';
  /** Trips (and door cycles) per day. @defaultValue 24 */
  tripsPerDay?: number;
}

const DAY = 86_400_000;
export const SYNTHETIC_START = Date.UTC(2026, 0, 1);

/** Chance per lift that each family fails once in the period, per scenario mix. */
const FAILURE_CHANCE: Record<NonNullable<SyntheticOptions['scenario']>, Record<Family, number>> = {
  mixed: { doorSystem: 0.45, guidesRide: 0.25, brake: 0.2, tractionRopes: 0.2, driveThermal: 0.2 },
  'door-heavy': { doorSystem: 0.7, guidesRide: 0.15, brake: 0.1, tractionRopes: 0.1, driveThermal: 0.1 },
  quiet: { doorSystem: 0.15, guidesRide: 0.08, brake: 0.05, tractionRopes: 0.05, driveThermal: 0.05 },
};

interface Episode { family: Family; onset: number; end: number; fails: boolean; strength: number }

export function generateSynthetic(opts: SyntheticOptions = {}): LabelledLift[] {
  const o = { lifts: 20, days: 60, seed: 1, scenario: 'mixed' as const, tripsPerDay: 24, ...opts };
  return Array.from({ length: o.lifts }, (_, i) => generateLift(`syn-${o.scenario}-s${o.seed}-${String(i).padStart(3, '0')}`, prng(o.seed * 100_003 + i), o));
}

function planEpisodes(r: Prng, days: number, chance: Record<Family, number>): Episode[] {
  const eps: Episode[] = [];
  for (const family of FAMILY_NAMES) {
    if (r.next() < chance[family]) {
      const end = SYNTHETIC_START + r.between(21, days) * DAY;
      eps.push({ family, end, onset: end - r.between(5, 20) * DAY, fails: true, strength: 1 });
    }
    if (r.next() < 0.35) { // a transient disturbance that does not end in failure
      const onset = SYNTHETIC_START + r.between(14, days) * DAY;
      eps.push({ family, onset, end: onset + r.between(1, 3) * DAY, fails: false, strength: r.between(0.3, 0.7) });
    }
  }
  return eps;
}

/** Precursor level of a family at t, 0…1. */
function severity(eps: Episode[], family: Family, t: number): number {
  let s = 0;
  for (const e of eps) {
    if (e.family !== family || t < e.onset || t >= e.end) continue;
    const u = (t - e.onset) / (e.end - e.onset);
    s = Math.max(s, e.fails ? u * u : e.strength * Math.sin(Math.PI * u));
  }
  return s;
}

function generateLift(liftId: string, r: Prng, o: Required<SyntheticOptions>): LabelledLift {
  const base = { closeS: r.between(2.6, 3.8), motorI: r.between(0.9, 1.5), lockMs: r.between(80, 200), vib: r.between(0.03, 0.08), kurt: r.between(2.8, 3.4), drop: r.between(120, 220), lift: r.between(90, 180), slip: r.between(0.5, 3), resid: r.between(15, 30) };
  const eps = planEpisodes(r, o.days, FAILURE_CHANCE[o.scenario]);
  const trips: TripRecord[] = []; const doors: DoorRecord[] = []; const envs: EnvRecord[] = []; const faults: FaultRecord[] = [];
  let seq = 0;
  const end = SYNTHETIC_START + o.days * DAY;
  const n = (sd: number) => 1 + sd * r.normal();
  for (let day = 0; day < o.days; day++) {
    const busy = r.between(0.6, 1.6);
    const count = Math.round(o.tripsPerDay * busy);
    for (let k = 0; k < count; k++) {
      const ts = Math.round(SYNTHETIC_START + day * DAY + ((k + r.next()) / count) * DAY);
      const sd = severity(eps, 'doorSystem', ts); const sg = severity(eps, 'guidesRide', ts);
      const sb = severity(eps, 'brake', ts); const st = severity(eps, 'tractionRopes', ts);
      const floor = Math.floor(r.between(0, 12));
      doors.push({ schemaVersion: CONTRACT_VERSION, liftId, seq: seq++, ts, floor, side: 'A', openS: base.closeS * 0.9 * n(0.05), dwellS: r.between(2, 8), closeS: base.closeS * (1 + 0.35 * sd) * n(0.05), lockMadeMs: base.lockMs * (1 + 0.6 * sd) * n(0.1), reopens: r.next() < 0.03 + 0.12 * sd + 0.03 * (busy - 1) ? 1 : 0, doorMotorIMeanA: base.motorI * (1 + 0.4 * sd) * n(0.05), result: 'ok' });
      if (sd > 0.85 && r.next() < 0.05) faults.push({ schemaVersion: CONTRACT_VERSION, liftId, seq: seq++, ts: ts + 1, code: 'E09', state: 'raised', severity: 'P2', detector: 'controller' });
      const vib = base.vib * (1 + 1.2 * sg) * n(0.1);
      trips.push({ schemaVersion: CONTRACT_VERSION, liftId, seq: seq++, ts: ts + 5_000, fromFloor: floor, toFloor: (floor + 3) % 12, startTs: ts + 5_000, durationS: 12, distanceM: 9, vMaxMps: 1.6, aMaxMps2: 0.8, dMaxMps2: 0.8,
        vibA95XMps2: vib, vibA95YMps2: vib * 0.9, vibKurtosisX: base.kurt + 3 * sg + 0.2 * r.normal(), vibKurtosisY: base.kurt + 0.2 * r.normal(),
        stopErrMm: (3 + 6 * st + 4 * sg) * r.normal(), relevels: r.next() < 0.01 + 0.1 * st ? 1 : 0, slipMm: base.slip * n(0.2) + 25 * st,
        brakeLiftMs: base.lift * (1 + 0.3 * sb) * n(0.05), brakeDropMs: base.drop * (1 + 0.5 * sb) * n(0.05), creepAfterStopMm: sb > 0.8 && r.next() < 0.1 ? r.between(0.5, 3) : 0 });
    }
    for (let h = 0; h < 24; h += 2) {
      const ts = SYNTHETIC_START + day * DAY + h * 3_600_000;
      const room = 22 + 6 * Math.sin((2 * Math.PI * h) / 24) + 2 * r.normal();
      envs.push({ schemaVersion: CONTRACT_VERSION, liftId, seq: seq++, ts, machineRoomTempC: room, motorWindingTempC: room + base.resid * (busy * 0.3 + 0.7) + 18 * severity(eps, 'driveThermal', ts) + r.normal() });
    }
  }
  const failures: FailureLabel[] = eps.filter((e) => e.fails && e.end < end).map((e) => ({ ts: Math.round(e.end), family: e.family }));
  const by = <T extends { ts: number }>(l: T[]) => l.sort((a, b) => a.ts - b.ts);
  return { records: { liftId, trips: by(trips), doors: by(doors), envs: by(envs), faults: by(faults) }, failures, from: SYNTHETIC_START, to: end, source: { scenario: `synthetic-${o.scenario}`, seed: o.seed } };
}
