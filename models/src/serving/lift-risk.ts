import type { FeatureStats } from '../features/feature-stats.js';
import { featureVector } from '../features/definition.js';
import type { ModelManifest } from '../registry/manifest.js';
import type { Family } from '../train/families.js';
import type { Hysteresis } from './hysteresis.js';
import { servedActive, type ServedAlertState } from './served-alert.js';
import { precursorsOf, type Precursor, type PrecursorLimits } from './precursors.js';
import type { RiskTable } from './risk-table.js';
import { dayStart, type TrendDay } from './risk-trend.js';
import { topFeatures, type TopFeature } from './top-features.js';

/** One family's predicted risk for a lift, as the lift page shows it. */
export interface FamilyRisk {
  readonly family: Family;
  readonly code: string;
  readonly modelId: string;
  readonly version: string;
  /** The model's latest score, 0–1. */
  readonly risk: number;
  readonly raise: number;
  readonly clear: number;
  /** risk / raise: 1 and above is at or above the raise threshold. */
  readonly relative: number;
  /** rising: above `raise`, not yet held for the persistence time; raised: the served alert is raised (by the model or, where the family serves it, the rule). */
  readonly state: 'normal' | 'rising' | 'raised';
  /** What raises the family's alert: model, rule or model-or-rule (the manifest's choice on its validation lifts). */
  readonly predictor: string;
  readonly risingSince: number | null;
  /** How long the score must hold above `raise` before the alert is raised, ms. */
  readonly persistMs: number;
  /** Which predictors hold the raised alert open now (the model, the rule or both; empty when not raised). */
  readonly heldBy: ReadonlyArray<'model' | 'rule'>;
  /** Raised and held by the model: since when its score has stayed under `clear` (null: it has not). */
  readonly clearingSince: number | null;
  /** How long the score must stay under `clear` before the model's alert clears, ms. */
  readonly clearPersistMs: number;
  /** The day's highest score, one point a day, oldest first (up to 90 days). */
  readonly trend: ReadonlyArray<{ readonly at: number; readonly risk: number }>;
  readonly topFeatures: readonly TopFeature[];
  readonly precursors: readonly Precursor[];
}

export interface LiftRisk { readonly liftId: string; readonly at: number; readonly families: readonly FamilyRisk[] }

export interface ServedModel { readonly id: string; readonly family: Family; readonly code: string; readonly manifest: ModelManifest; readonly hyst: Hysteresis | undefined; readonly served?: ServedAlertState | undefined }

/** A lift's risk per family from the risk table, the hysteresis, the trend kept on disk and its features now. */
export function liftRisk(liftId: string, x: { models: readonly ServedModel[]; table: RiskTable; trend: readonly TrendDay[]; stats: FeatureStats; limits: PrecursorLimits }): LiftRisk | null {
  const row = x.table.get(liftId);
  if (row === undefined) return null;
  const values = featureVector(x.stats);
  const families = x.models.map((m): FamilyRisk => {
    const k = x.table.modelIds.indexOf(m.id);
    const t = m.manifest.thresholds;
    const hyst = m.hyst;
    const active = m.served !== undefined ? servedActive(m.served, liftId) : hyst?.isActive(liftId) ?? false;
    const since = hyst?.pendingSince(liftId);
    const predictor = m.served?.predictor ?? 'model';
    const byModel = active && predictor !== 'rule' && (hyst?.isActive(liftId) ?? false);
    const byRule = active && predictor !== 'model' && (m.served?.rule?.isActive(liftId) ?? false);
    const risk = row.latest[k] ?? NaN;
    const trend = x.trend.filter((d) => d.scores[m.id] !== undefined).map((d) => ({ at: dayStart(d.day), risk: d.scores[m.id]! }));
    const today = row.highest[k];
    if (today !== undefined && Number.isFinite(today)) trend.push({ at: dayStart(row.day), risk: today });
    return {
      family: m.family, code: m.code, modelId: m.id, version: m.manifest.version, risk, raise: t.raise, clear: t.clear, relative: risk / t.raise,
      state: active ? 'raised' : since !== undefined ? 'rising' : 'normal', predictor, risingSince: !active && since !== undefined ? since : null,
      persistMs: hyst?.options.minDurationMs ?? t.minDurationMs,
      heldBy: [...(byModel ? ['model' as const] : []), ...(byRule ? ['rule' as const] : [])],
      clearingSince: byModel && since !== undefined ? since : null,
      clearPersistMs: hyst?.options.clearMinDurationMs ?? hyst?.options.minDurationMs ?? t.clearMinDurationMs ?? t.minDurationMs,
      trend, topFeatures: topFeatures(m.manifest, values),
      precursors: precursorsOf(m.family, x.stats, x.limits),
    };
  });
  return { liftId, at: row.at, families };
}
