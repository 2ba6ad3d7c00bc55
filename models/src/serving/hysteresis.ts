/** Options of an alert hysteresis (no flapping alarms: one raise and one clear per episode). */
export interface HysteresisOptions {
  /** Raise when the score stays at or above this. */
  raise: number;
  /** Clear when the score stays below this (lower than `raise`). */
  clear: number;
  /** The raise condition must hold this long before the alert is raised, ms. */
  minDurationMs: number;
  /** The clear condition must hold this long before the alert clears, ms. @defaultValue minDurationMs */
  clearMinDurationMs?: number;
}

export type Transition = 'raised' | 'cleared' | undefined;

/**
 * Raise above one threshold, clear below a lower one, each only after the condition has held for
 * a minimum duration; a transition is reported once, on the change of state only.
 */
export function createHysteresis(o: HysteresisOptions) {
  if (!(o.clear < o.raise)) throw new RangeError(`hysteresis clear threshold ${o.clear} must be below the raise threshold ${o.raise}`);
  const state = new Map<string, { active: boolean; since: number | undefined }>();
  return {
    /** Feed one score at time ts for key; returns the transition it causes, if any. */
    update(key: string, score: number, ts: number): Transition {
      const s = state.get(key) ?? { active: false, since: undefined };
      state.set(key, s);
      const toward = s.active ? score < o.clear : score >= o.raise;
      if (!toward) { s.since = undefined; return undefined; }
      s.since ??= ts;
      if (ts - s.since < (s.active ? o.clearMinDurationMs ?? o.minDurationMs : o.minDurationMs)) return undefined;
      s.active = !s.active;
      s.since = undefined;
      return s.active ? 'raised' : 'cleared';
    },
    isActive: (key: string) => state.get(key)?.active ?? false,
    activeKeys: () => [...state].filter(([, s]) => s.active).map(([k]) => k),
  };
}
export type Hysteresis = ReturnType<typeof createHysteresis>;
