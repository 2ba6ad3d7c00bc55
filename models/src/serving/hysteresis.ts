/** Options of an alert hysteresis (no flapping alarms, docs/lessons.md#1-duplicate-and-flapping-alarms: one raise and one clear per episode). */
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

/** One key's memory: whether its alert is raised, and since when the score has been heading the other way (undefined: it is not). */
export interface HysteresisState { readonly active: boolean; readonly since: number | undefined }

/**
 * Raise above one threshold, clear below a lower one, each only after the condition has held for
 * a minimum duration; a transition is reported once, on the change of state only. Only keys with
 * something to remember (raised, or heading towards a change) are kept; `saved` restores them after a
 * restart and `onChange` hears every change of a key's memory, to save it.
 */
export function createHysteresis(o: HysteresisOptions, saved?: Iterable<readonly [string, HysteresisState]>, onChange?: (key: string, s: HysteresisState | undefined) => void) {
  if (!(o.clear < o.raise)) throw new RangeError(`hysteresis clear threshold ${o.clear} must be below the raise threshold ${o.raise}`);
  const state = new Map<string, { active: boolean; since: number | undefined }>();
  for (const [key, s] of saved ?? []) if (s.active || s.since !== undefined) state.set(key, { active: s.active, since: s.since });
  const put = (key: string, active: boolean, since: number | undefined) => {
    const before = state.get(key);
    if (before?.active === active && before.since === since) return;
    if (!active && since === undefined) { if (before === undefined) return; state.delete(key); onChange?.(key, undefined); return; }
    state.set(key, { active, since });
    onChange?.(key, { active, since });
  };
  return {
    /** Feed one score at time ts for key; returns the transition it causes, if any. */
    update(key: string, score: number, ts: number): Transition {
      const s = state.get(key) ?? { active: false, since: undefined };
      const toward = s.active ? score < o.clear : score >= o.raise;
      if (!toward) { put(key, s.active, undefined); return undefined; }
      const since = s.since ?? ts;
      if (ts - since < (s.active ? o.clearMinDurationMs ?? o.minDurationMs : o.minDurationMs)) { put(key, s.active, since); return undefined; }
      put(key, !s.active, undefined);
      return s.active ? 'cleared' : 'raised';
    },
    isActive: (key: string) => state.get(key)?.active ?? false,
    /** Since when the score has held towards a change (raise, or clear when raised), or undefined. */
    pendingSince: (key: string) => state.get(key)?.since,
    activeKeys: () => [...state].filter(([, s]) => s.active).map(([k]) => k),
    /** Keys with something to remember. */
    size: () => state.size,
    options: o,
  };
}
export type Hysteresis = ReturnType<typeof createHysteresis>;
