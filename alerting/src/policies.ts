import type Database from 'better-sqlite3';
import { EscalationPolicy, type Severity } from '@liftwatch/contract';
import { parseBody } from './crew-store.js';

/**
 * P1 entrapment by default (issue 7 §2; domain §1.3): the on-call crew at once, reminded every
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
 * The "1-3-5" rule of community response teams (DESIGN.md, the Hangzhou district): respond within
 * 1 minute, on site within 3, reinforcement within 5. Hubei's three-tier rescue (domain §1.3) gives
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

/** A policy from an API body: a full policy, or `{ preset: "1-3-5" }`. */
export function policyOf(orgId: string, severity: Severity, input: unknown): EscalationPolicy {
  const preset = (input as { preset?: unknown } | null)?.preset;
  return typeof preset === 'string' && PRESETS[preset] ? PRESETS[preset] : parseBody<EscalationPolicy>(EscalationPolicy, input, `escalation policy for ${orgId} ${severity}`);
}

/** Policies per organisation and severity, over SQLite; `*` is every organisation. */
export function createPolicyStore(db: Database.Database) {
  db.exec(`CREATE TABLE IF NOT EXISTS escalation_policies (org_id TEXT NOT NULL, severity TEXT NOT NULL, policy_json TEXT NOT NULL, PRIMARY KEY (org_id, severity))`);
  const put = db.prepare(`INSERT INTO escalation_policies (org_id, severity, policy_json) VALUES (?, ?, ?) ON CONFLICT (org_id, severity) DO UPDATE SET policy_json = excluded.policy_json`);
  const get = db.prepare<[string, string], { policy_json: string }>(`SELECT policy_json FROM escalation_policies WHERE org_id = ? AND severity = ?`);
  const all = db.prepare<[], { org_id: string; severity: Severity; policy_json: string }>(`SELECT * FROM escalation_policies ORDER BY org_id, severity`);

  /** Sets the policy of an organisation (or `*`) for a severity: a full policy, or `{ preset: "1-3-5" }`. */
  function set(orgId: string, severity: Severity, input: unknown): EscalationPolicy {
    const policy = policyOf(orgId, severity, input);
    put.run(orgId, severity, JSON.stringify(policy));
    return policy;
  }

  /** The policy for an alert of `severity` on a lift of unit `orgId`: the unit's own, else the `*` one, else the built-in default. */
  function forAlert(orgId: string | undefined, severity: Severity): EscalationPolicy {
    const row = (orgId ? get.get(orgId, severity) : undefined) ?? get.get('*', severity);
    return row ? JSON.parse(row.policy_json) as EscalationPolicy : DEFAULTS[severity];
  }

  return { set, forAlert, list: () => all.all().map((r) => ({ orgId: r.org_id, severity: r.severity, policy: JSON.parse(r.policy_json) as EscalationPolicy })) };
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
