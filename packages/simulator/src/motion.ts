/**
 * A jerk-limited (S-curve) trip, integrated at a fixed step (docs/simulator.md).
 * Short trips never reach rated speed: the peak speed is lowered until the profile fits the distance.
 */
export interface MotionLimits {
  /** Peak speed, m/s. */ readonly vMps: number;
  /** Peak acceleration, m/s² (typical 0.6–1.0). */ readonly aMps2: number;
  /** Peak jerk, m/s³ (typical 0.8–1.5). */ readonly jMps3: number;
}

export interface MotionSample { t: number; pos: number; v: number; a: number }

/** Sets the ramp's peak acceleration and jerk and constant-acceleration times for peak speed v; returns the distance covered accelerating from 0 to v and back to 0. */
function rampInto(v: number, a: number, j: number, plan: MotionPlan): number {
  const aPk = Math.min(a, Math.sqrt(v * j));
  const tj = aPk / j;
  const ta = Math.max(0, v / aPk - tj);
  plan.aPk = aPk;
  plan.tj = tj;
  plan.ta = ta;
  return v * (2 * tj + ta);
}

/**
 * Samples position, speed and acceleration of a trip of `distanceM` every `dt` seconds, as an
 * encoder sampled at a fixed rate sees it: each sample is evaluated in closed form within its jerk
 * phase (constant jerk: a, v and s are polynomials of degree 1, 2 and 3), so the profile lands on
 * the target without drift, and the samples stay equally spaced to the end: the first sample at or
 * after the end of the motion shows the car standing at the target (no shortened last step).
 */
export function sCurve(distanceM: number, limits: MotionLimits, dt = 0.01): MotionSample[] {
  const plan = sCurvePlan(distanceM, limits);
  const { tj, ta, tc, j } = plan;
  // Phases of the jerk profile: +j, 0, -j, cruise, -j, 0, +j; the state at the start of each, exactly.
  const durations = [tj, ta, tj, tc, tj, ta, tj];
  const jerks = [j, 0, -j, 0, -j, 0, j];
  const starts: Array<{ t: number; s: number; v: number; a: number }> = [];
  let t = 0; let s = 0; let v = 0; let a = 0;
  durations.forEach((d, i) => {
    starts.push({ t, s, v, a });
    const jj = jerks[i]!;
    s += v * d + (a * d * d) / 2 + (jj * d * d * d) / 6;
    v += a * d + (jj * d * d) / 2;
    a += jj * d;
    t += d;
  });
  const total = t;
  const samples: MotionSample[] = [];
  let phase = 0;
  const steps = Math.ceil(total / dt - 1e-9);
  for (let k = 0; k <= steps; k++) {
    const tk = k * dt;
    if (tk >= total) { samples.push({ t: tk, pos: distanceM, v: 0, a: 0 }); continue; } // stopped at the target
    while (phase < 6 && tk > starts[phase + 1]!.t) phase++;
    const p0 = starts[phase]!;
    const jj = jerks[phase]!;
    const tau = tk - p0.t;
    samples.push({
      t: tk,
      pos: p0.s + p0.v * tau + (p0.a * tau * tau) / 2 + (jj * tau * tau * tau) / 6,
      v: p0.v + p0.a * tau + (jj * tau * tau) / 2,
      a: p0.a + jj * tau,
    });
  }
  return samples;
}

/** The S-curve's phase plan in closed form: what a trip summary needs without sampling (fast path). */
export interface MotionPlan { vPk: number; aPk: number; j: number; tj: number; ta: number; tc: number; durationS: number; rampM: number }

export function sCurvePlan(distanceM: number, limits: MotionLimits): MotionPlan {
  return sCurvePlanInto(distanceM, limits, { vPk: 0, aPk: 0, j: 0, tj: 0, ta: 0, tc: 0, durationS: 0, rampM: 0 });
}

/** `sCurvePlan` written into `plan` (a simulated lift keeps one plan and overwrites it per trip: nothing to allocate). */
export function sCurvePlanInto(distanceM: number, limits: MotionLimits, plan: MotionPlan): MotionPlan {
  const a = limits.aMps2;
  const j = limits.jMps3;
  let v = limits.vMps;
  let rampD = rampInto(v, a, j, plan);
  if (rampD > distanceM) {
    // Short trip: the highest peak speed whose ramps fit the distance, in closed form.
    // With the full acceleration reached (v ≥ a²/j): d = v·a/j + v²/a; without it: d = 2·v·√(v/j).
    const full = (a / 2) * (-a / j + Math.sqrt((a / j) ** 2 + (4 * distanceM) / a));
    v = full >= (a * a) / j ? full : Math.cbrt((distanceM * distanceM * j) / 4);
    rampD = rampInto(v, a, j, plan);
  }
  const tc = v > 0 ? Math.max(0, (distanceM - rampD) / v) : 0;
  plan.vPk = v;
  plan.j = j;
  plan.tc = tc;
  plan.durationS = 4 * plan.tj + 2 * plan.ta + tc;
  plan.rampM = rampD / 2;
  return plan;
}
