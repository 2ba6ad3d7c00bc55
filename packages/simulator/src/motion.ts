/**
 * A jerk-limited (S-curve) trip, integrated at a fixed step (domain §6c, Physics: motion profile).
 * Short trips never reach rated speed: the peak speed is lowered until the profile fits the distance.
 */
export interface MotionLimits {
  /** Peak speed, m/s. */ readonly vMps: number;
  /** Peak acceleration, m/s² (typical 0.6–1.0). */ readonly aMps2: number;
  /** Peak jerk, m/s³ (typical 0.8–1.5). */ readonly jMps3: number;
}

export interface MotionSample { t: number; pos: number; v: number; a: number }

/** Distance covered while accelerating from 0 to v and back to 0, for the limits. */
function rampDistance(v: number, a: number, j: number): { d: number; tj: number; ta: number; aPk: number } {
  const aPk = Math.min(a, Math.sqrt(v * j));
  const tj = aPk / j;
  const ta = Math.max(0, v / aPk - tj);
  return { d: v * (2 * tj + ta), tj, ta, aPk };
}

/** Samples position, speed and acceleration of a trip of `distanceM` every `dt` seconds. */
export function sCurve(distanceM: number, limits: MotionLimits, dt = 0.01): MotionSample[] {
  let v = limits.vMps;
  let ramp = rampDistance(v, limits.aMps2, limits.jMps3);
  if (ramp.d > distanceM) {
    let lo = 0;
    let hi = v;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (rampDistance(mid, limits.aMps2, limits.jMps3).d > distanceM) hi = mid;
      else lo = mid;
    }
    v = lo;
    ramp = rampDistance(v, limits.aMps2, limits.jMps3);
  }
  const { tj, ta, aPk } = ramp;
  const tc = Math.max(0, (distanceM - ramp.d) / v);
  // Phase boundaries of the jerk profile: +j, 0, -j, cruise, -j, 0, +j.
  const phases = [tj, ta, tj, tc, tj, ta, tj];
  const jerks = [limits.jMps3, 0, -limits.jMps3, 0, -limits.jMps3, 0, limits.jMps3];
  const samples: MotionSample[] = [{ t: 0, pos: 0, v: 0, a: 0 }];
  let t = 0;
  let pos = 0;
  let vel = 0;
  let acc = 0;
  phases.forEach((duration, i) => {
    const steps = Math.max(0, Math.round(duration / dt));
    const j = jerks[i] ?? 0;
    for (let k = 0; k < steps; k++) {
      acc = Math.max(-aPk, Math.min(aPk, acc + j * dt));
      vel = Math.max(0, vel + acc * dt);
      pos += vel * dt;
      t += dt;
      samples.push({ t, pos, v: vel, a: acc });
    }
  });
  // Land exactly on the target: the residue of the fixed step is tiny (mm).
  const last = samples[samples.length - 1]!;
  last.pos = distanceM;
  last.v = 0;
  return samples;
}

/** The S-curve's phase plan in closed form: what a trip summary needs without sampling (fast path). */
export interface MotionPlan { vPk: number; aPk: number; j: number; tj: number; ta: number; tc: number; durationS: number; rampM: number }

export function sCurvePlan(distanceM: number, limits: MotionLimits): MotionPlan {
  let v = limits.vMps;
  let ramp = rampDistance(v, limits.aMps2, limits.jMps3);
  if (ramp.d > distanceM) {
    let lo = 0;
    let hi = v;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (rampDistance(mid, limits.aMps2, limits.jMps3).d > distanceM) hi = mid;
      else lo = mid;
    }
    v = lo;
    ramp = rampDistance(v, limits.aMps2, limits.jMps3);
  }
  const tc = v > 0 ? Math.max(0, (distanceM - ramp.d) / v) : 0;
  return { vPk: v, aPk: ramp.aPk, j: limits.jMps3, tj: ramp.tj, ta: ramp.ta, tc, durationS: 4 * ramp.tj + 2 * ramp.ta + tc, rampM: ramp.d / 2 };
}
