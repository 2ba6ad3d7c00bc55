import type { DegradationLaw } from './fault-plan.js';
import { createRandom } from './prng.js';

const DAY_MS = 86_400_000;

/** Severity of a monotone law τ days after onset, before the cap (docs/simulator.md) = 1 − s). */
export function lawSeverity(law: DegradationLaw, tauDays: number): number {
  if (tauDays < 0) return 0;
  switch (law.type) {
    case 'step': return 1;
    case 'linear': return law.failDays <= 0 ? 1 : tauDays / law.failDays;
    case 'exp': {
      const tau = Math.max(law.tauDays, 1e-6);
      return (Math.exp(tauDays / tau) - 1) / (Math.exp(law.failDays / tau) - 1);
    }
    case 'power': return law.failDays <= 0 ? 1 : (tauDays / law.failDays) ** law.exponent;
    case 'weibull': return 1 - Math.exp(-((tauDays / law.etaDays) ** law.beta));
    case 'intermittent': return 1; // the on/off schedule gates it, see intermittentOn
  }
}

/**
 * Markov on/off schedule of an intermittent fault (docs/simulator.md)`):
 * exponential holding times drawn lazily from the fault's own seeded stream, so a query at any
 * time gives the same answer whatever else the lift did.
 */
export function createOnOffSchedule(seed: number, onsetMs: number, onMin: number, offMin: number) {
  const rnd = createRandom(seed);
  const edges: number[] = [onsetMs]; // edges[0] switches on; even index = on, odd = off
  function extendTo(t: number): void {
    while (edges[edges.length - 1]! <= t) {
      const on = edges.length % 2 === 1; // the last edge switched on → draw an on-period
      edges.push(edges[edges.length - 1]! + rnd.exponential((on ? onMin : offMin) * 60_000));
    }
  }
  return {
    isOn(t: number): boolean {
      if (t < onsetMs) return false;
      extendTo(t);
      let lo = 0;
      let hi = edges.length - 1;
      while (lo < hi) { // last edge ≤ t
        const mid = (lo + hi + 1) >> 1;
        if (edges[mid]! <= t) lo = mid; else hi = mid - 1;
      }
      return lo % 2 === 0;
    },
  };
}

/**
 * One injected fault's severity over time with maintenance. A repair of share r takes r of the
 * fault's virtual age off (the virtual-age model of imperfect repair, Kijima 1989): wear then goes
 * on along the law from there, so a part that is only adjusted wears out again sooner than a new
 * one (r = 1 is a new part). For a linear law this removes r of the severity. A step fault keeps
 * its severity minus what was removed; an intermittent one ends when a crew finds it, and any
 * fault ends when its part is replaced (`renew`).
 */
export function createSeverityTrack(law: DegradationLaw, onsetMs: number, severityMax: number, seed: number) {
  let removed = 0; // step law only
  let ageBackMs = 0; // virtual age taken off by repairs
  let cured = false; // the part replaced, or an intermittent fault found and fixed
  const schedule = law.type === 'intermittent' ? createOnOffSchedule(seed, onsetMs, law.onMin, law.offMin) : undefined;
  const raw = (t: number): number => Math.min(severityMax, lawSeverity(law, (t - onsetMs - ageBackMs) / DAY_MS));
  const at = (t: number): number => {
    if (t < onsetMs || cured) return 0;
    if (schedule && !schedule.isOn(t)) return 0;
    return Math.max(0, raw(t) - removed);
  };
  return {
    at,
    /** Maintenance: remove the share `restore` of the present severity; an intermittent fault only when `found` (a crew called out to it). */
    repair(t: number, restore: number, found = false): void {
      if (t < onsetMs || (schedule && !found)) return; // an intermittent contact is not found by a routine visit
      if (schedule) { cured ||= restore >= 0.5; return; }
      if (law.type === 'step') { removed += restore * Math.max(0, raw(t) - removed); return; }
      ageBackMs += restore * Math.max(0, t - onsetMs - ageBackMs);
    },
    /** The worn part replaced: the fault is over. */
    renew(t: number): void {
      if (t >= onsetMs) cured = true;
    },
    /** Remaining useful life, days until s reaches 1; undefined if never within 10 years (or intermittent). */
    rulDays(t: number): number | undefined {
      if (schedule || law.type === 'step') return at(t) >= 1 ? 0 : undefined;
      if (at(t) >= 1) return 0;
      const horizon = t + 3_650 * DAY_MS;
      if (raw(horizon) - removed < 1) return undefined;
      let lo = t;
      let hi = horizon;
      for (let i = 0; i < 40; i++) {
        const mid = (lo + hi) / 2;
        if (raw(mid) - removed >= 1) hi = mid; else lo = mid;
      }
      return (hi - t) / DAY_MS;
    },
  };
}
export type SeverityTrack = ReturnType<typeof createSeverityTrack>;
