import type { DoorRaw, TripRaw } from '../src/index.js';

/** Synthetic raw signals built from physics, standing in for the simulator's raw windows (issue 3 part 1). */
export const T0 = 1_764_400_000_000;
export const FS = 100;

/**
 * A jerk-limited trip (+j, 0, -j, cruise, -j, 0, +j), integrated at 10 kHz and sampled like an encoder
 * at 100 Hz. (The simulator's sCurve clamps the speed at 0 before the end of the last jerk phase and then
 * snaps the position onto the target, which an encoder would never see; reported to its owner.)
 */
export function jerkLimited(distanceM: number, vMps: number, aMps2: number, jMps3: number): Array<{ pos: number; v: number; a: number }> {
  const tj = aMps2 / jMps3;
  const ta = vMps / aMps2 - tj;
  const tc = (distanceM - vMps * (2 * tj + ta)) / vMps;
  const phases: Array<[number, number]> = [[tj, jMps3], [ta, 0], [tj, -jMps3], [tc, 0], [tj, -jMps3], [ta, 0], [tj, jMps3]];
  const out = [{ pos: 0, v: 0, a: 0 }];
  const dt = 1e-4;
  let [pos, v, a, t, next] = [0, 0, 0, 0, 1 / FS];
  for (const [duration, j] of phases) {
    for (let k = 0; k < Math.round(duration / dt); k++) {
      a += j * dt;
      v += a * dt;
      pos += v * dt;
      t += dt;
      if (t >= next - dt / 2) { out.push({ pos, v, a }); next += 1 / FS; }
    }
  }
  return out;
}

export function trip(fromM: number, distanceM: number, dir: 1 | -1, vib?: TripRaw['vib']): TripRaw {
  const samples = jerkLimited(distanceM, 1.75, 0.8, 1.2);
  const pos = samples.map((s) => fromM + dir * s.pos);
  return {
    startTs: T0, fromFloor: 2, toFloor: dir > 0 ? 12 : 1, posM: { fsHz: FS, samples: pos },
    targetPosM: pos[pos.length - 1]! - 0.004, // the car stopped 4 mm above the landing
    motorIA: { fsHz: FS, samples: samples.map((s) => 12 + 18 * Math.abs(s.a)) },
    powerW: { fsHz: FS, samples: samples.map((s) => 6_000 * Math.abs(s.v)) },
    ...(vib ? { vib } : {}),
  };
}

export const sine = (amp: number, hz: number, seconds: number, fs = 256) =>
  ({ fsHz: fs, samples: Array.from({ length: seconds * fs }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / fs + 0.1)) });

/** A door operator: raised-cosine moves, a motor current of friction plus acceleration, a lock contact. */
export function door(o: { openS: number; dwellS: number; closeS: number; frictionA: number; reopenAt?: number; lockMs?: number; stuckOpen?: boolean }): DoorRaw {
  const pos: number[] = [];
  const cur: number[] = [];
  const move = (from: number, to: number, seconds: number) => {
    const n = Math.round(seconds * FS);
    for (let i = 1; i <= n; i++) {
      const u = i / n;
      pos.push(from + (to - from) * (1 - Math.cos(Math.PI * u)) / 2);
      cur.push(o.frictionA + 0.8 * Math.abs(Math.cos(Math.PI * u)));
    }
  };
  const hold = (at: number, seconds: number) => {
    for (let i = 0; i < Math.round(seconds * FS); i++) { pos.push(at); cur.push(0.2); }
  };
  hold(0, 0.2);
  move(0, 1, o.openS);
  hold(1, o.dwellS);
  if (o.stuckOpen) hold(1, 5);
  else {
    if (o.reopenAt !== undefined) {
      move(1, o.reopenAt, o.closeS * (1 - o.reopenAt));
      move(o.reopenAt, 1, 0.8);
      hold(1, 1);
    }
    move(1, 0, o.closeS);
  }
  const closedAt = pos.length;
  hold(o.stuckOpen ? 1 : 0, 0.5);
  const lockAt = closedAt + Math.round(((o.lockMs ?? 150) / 1000) * FS);
  const lock = pos.map((_, i) => (o.lockMs === -1 || i < lockAt ? 0 : 1));
  const curtain = pos.map(() => 0);
  if (o.reopenAt !== undefined) for (let i = 0; i < 20; i++) curtain[closedAt - Math.round(o.closeS * FS) - 150 + i] = 1;
  return { startTs: T0, floor: 3, side: 'A', position: { fsHz: FS, samples: pos }, motorIA: cur, lock, curtain };
}

