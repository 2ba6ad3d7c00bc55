import type { EscalationPolicy, Severity } from '@liftwatch/contract';

/**
 * P1 entrapment by default (docs/standards.md#rescue-the-30-minute-arrival-rule): the on-call crew at once, reminded every
 * 30 s; not acknowledged within 1 min → the backup and the supervisor; nobody on site within
 * 30 min (the arrival limit of TSG T5001-2009 that platforms report against) → the maintenance
 * unit's manager and the district regulator.
 */
export const P1_ENTRAPMENT: EscalationPolicy = {
  name: 'p1-entrapment',
  steps: [
    { afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'P1: on-call crew notified at once' },
    { afterS: 60, unless: 'acknowledged', notify: ['backup', 'supervisor'], label: 'P1: not acknowledged within 1 min' },
    { afterS: 1800, unless: 'onSite', notify: ['manager', 'regulator'], label: 'P1: nobody on site within 30 min' },
  ],
  reminder: { everyS: 30, until: 'acknowledged', notify: ['primary'], maxCount: 60 },
};

/**
 * The "1-3-5" rule of community response teams (docs/standards.md#emergency-hotlines-and-rescue-tiers): respond within
 * 1 minute, on site within 3, reinforcement within 5. Hubei's three-tier rescue (same section) gives
 * the order: the unit's crew, then the nearby rescue station (reinforcement), then the district.
 */
export const PRESET_1_3_5: EscalationPolicy = {
  name: '1-3-5',
  steps: [
    { afterS: 0, unless: 'acknowledged', notify: ['primary', 'backup'], label: '1-3-5: response team notified at once' },
    { afterS: 60, unless: 'acknowledged', notify: ['supervisor', 'reinforcement'], label: '1-3-5: no response within 1 min' },
    { afterS: 180, unless: 'onSite', notify: ['reinforcement', 'manager'], label: '1-3-5: nobody on site within 3 min, reinforcement called' },
    { afterS: 300, unless: 'resolved', notify: ['regulator', 'manager'], label: '1-3-5: not resolved with reinforcement within 5 min' },
  ],
  reminder: { everyS: 20, until: 'acknowledged', notify: ['primary', 'backup'], maxCount: 90 },
};

/** P2: the crew at once, reminded every 5 min; not acknowledged within 15 min → the backup and the supervisor. */
export const P2_DEFAULT: EscalationPolicy = {
  name: 'p2-default',
  steps: [
    { afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'P2: on-call crew notified' },
    { afterS: 900, unless: 'acknowledged', notify: ['backup', 'supervisor'], label: 'P2: not acknowledged within 15 min' },
  ],
  reminder: { everyS: 300, until: 'acknowledged', notify: ['primary'], maxCount: 12 },
};

/** P3 (degradation, predictive) and P4 (usage, information): the crew, once; personal preferences and quiet hours apply. */
export const P3_P4_DEFAULT: EscalationPolicy = {
  name: 'p3-p4-default',
  steps: [{ afterS: 0, unless: 'acknowledged', notify: ['primary'], label: 'notified the on-call crew' }],
  reminder: null,
};

export const PRESETS: Readonly<Record<string, EscalationPolicy>> = { 'p1-entrapment': P1_ENTRAPMENT, '1-3-5': PRESET_1_3_5, 'p2-default': P2_DEFAULT, 'p3-p4-default': P3_P4_DEFAULT };
export const DEFAULTS: Readonly<Record<Severity, EscalationPolicy>> = { P1: P1_ENTRAPMENT, P2: P2_DEFAULT, P3: P3_P4_DEFAULT, P4: P3_P4_DEFAULT };

/** A policy from an API body: `{ preset: "1-3-5" }` is that preset; anything else is checked as a policy by the state store. */
export function policyOf(input: unknown): unknown {
  const preset = (input as { preset?: unknown } | null)?.preset;
  return typeof preset === 'string' && PRESETS[preset] ? PRESETS[preset] : input;
}
