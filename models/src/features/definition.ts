import { createHash } from 'node:crypto';

/**
 * The feature set, defined once (issue 6 §1) and used by training and by serving. Change a name,
 * its order or its meaning and FEATURE_VERSION must change: a model whose manifest names another
 * version or other names refuses to load (LW_ERR_MODEL_FEATURE_MISMATCH).
 *
 * "Drift" features are relative to the lift's own baseline (domain §3 F1: "vs the unit's own
 * baseline"): the median over the baseline window divided into the recent window's value, minus 1.
 */
export const FEATURE_VERSION = '1.0.0';

export interface FeatureDef {
  readonly name: string;
  readonly unit: string;
  /** The precursor it stands for, with the domain reference. */
  readonly meaning: string;
}

export const FEATURES: readonly FeatureDef[] = Object.freeze([
  { name: 'doorCloseP50Drift', unit: 'ratio', meaning: 'closeS median vs baseline (§3 F1, D01)' },
  { name: 'doorCloseP95Drift', unit: 'ratio', meaning: 'closeS p95 vs baseline (§3 F1, §6d S3)' },
  { name: 'doorReopenRatio', unit: 'ratio', meaning: 'reopens per door cycle (§3 F1)' },
  { name: 'doorMotorIDrift', unit: 'ratio', meaning: 'door-motor mean current vs baseline (§3 F1)' },
  { name: 'lockMadeP95Drift', unit: 'ratio', meaning: 'lockMadeMs p95 tail vs baseline (§3 F2, D02)' },
  { name: 'doorFaults7d', unit: 'count', meaning: 'E09 door faults raised in 7 days (§6b E09)' },
  { name: 'vibA95XYDrift', unit: 'ratio', meaning: 'horizontal A95 vs baseline (§3 F4, ISO 18738)' },
  { name: 'vibKurtosis', unit: '1', meaning: 'mean x/y kurtosis (§3 F4 impacts)' },
  { name: 'vibKurtosisDrift', unit: 'ratio', meaning: 'kurtosis vs baseline (§3 F4)' },
  { name: 'stopErrP95Mm', unit: 'mm', meaning: '|stopErr| p95 (§3 F9, §6d S4)' },
  { name: 'relevelsPer100', unit: 'count', meaning: 're-levels per 100 stops (§3 F6/F7, §6d S5)' },
  { name: 'brakeDropDrift', unit: 'ratio', meaning: 'brakeDropMs vs baseline (§3 F8, D05)' },
  { name: 'brakeLiftDrift', unit: 'ratio', meaning: 'brakeLiftMs vs baseline (§3 F8, D05)' },
  { name: 'creepMaxMm', unit: 'mm', meaning: 'max creep after stop (§3 F8, UCM precursor)' },
  { name: 'slipAbsMeanMm', unit: 'mm', meaning: 'mean |slipMm| per trip (§3 F6, D06)' },
  { name: 'tempResidualC', unit: '°C', meaning: '(winding − machine room) vs baseline (§3 F10, D09)' },
  { name: 'safetyChainOpens7d', unit: 'count', meaning: 'E07/E08 raised in 7 days (§3 F3, D11)' },
  { name: 'tripsPerDay', unit: '1/d', meaning: 'usage in the recent window (context, §3 F16)' },
]);

export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((f) => f.name));

/** sha256 of the version and the ordered names: what a manifest must carry to be loaded. */
export function featureFingerprint(): string {
  return createHash('sha256').update(`${FEATURE_VERSION}\n${FEATURE_NAMES.join('\n')}`).digest('hex');
}

/** Windows the features are computed over (part of the feature version). */
export const FEATURE_WINDOWS = Object.freeze({
  /** The recent window, ms: one day. */
  recentMs: 86_400_000,
  /** Event counts (E07, E08, E09) look back this far, ms: seven days. */
  eventMs: 7 * 86_400_000,
  /** The baseline window ends this long before `at`, ms: seven days. */
  baselineEndMs: 7 * 86_400_000,
  /** The baseline window starts this long before `at`, ms: 28 days. */
  baselineStartMs: 28 * 86_400_000,
});
