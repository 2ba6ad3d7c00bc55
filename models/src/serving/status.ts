import type { Family } from '../train/families.js';
import { FAMILIES } from '../train/families.js';
import type { FeatureStates } from './feature-states.js';
import type { RescoreLoop } from './rescore-loop.js';
import type { RiskTable } from './risk-table.js';
import type { Scorer } from './scorer.js';
import type { predictedAlertSender } from './predicted-alerts.js';

/** What GET /api/models shows: live and shadow versions with their training and validation, the comparison, scheduling, feature states and recent alerts. */
export function servingStatus(x: {
  o: { registryDir: string; minIntervalMs: number; roundMs?: number; autoReloadMs?: number; persistMs?: Readonly<Record<string, number>> };
  scorer: Scorer; states: FeatureStates; loop: RescoreLoop; stats: Record<string, number>; sender: ReturnType<typeof predictedAlertSender>; table: RiskTable;
  familyOf: (modelId: string) => Family | undefined; health: unknown;
}) {
  const manifests = x.scorer.manifests();
  const summary = (m: (typeof manifests)[string]['live'] | undefined) => m === undefined ? null : {
    version: m.version, family: m.family, createdAt: m.createdAt, featureVersion: m.featureVersion,
    training: { source: m.training.source, generator: m.training.generator, mixes: m.training.mixes, seeds: m.training.seeds, liftYears: m.training.liftYears, learner: m.training.learner },
    validation: { mixes: m.validation.mixes, seeds: m.validation.seeds, figures: m.validation.figures, rule: m.validation.rule },
    serving: m.serving ?? { predictor: 'model' }, metrics: m.metrics, thresholds: m.thresholds, sha256: m.sha256,
  };
  return {
    registryDir: x.o.registryDir, minIntervalMs: x.o.minIntervalMs, roundMs: x.o.roundMs ?? 300_000, autoReloadMs: x.o.autoReloadMs ?? 0,
    models: Object.entries(manifests).map(([id, m]) => {
      const f = x.familyOf(id);
      return { id, code: f === undefined ? null : FAMILIES[f].code, persistMs: x.scorer.hysteresis(id)?.options.minDurationMs ?? m.live.thresholds.minDurationMs, live: summary(m.live), shadow: summary(m.shadow) };
    }),
    comparison: x.scorer.comparison(),
    runs: x.scorer.stats(),
    scheduling: { ...x.stats, ...x.loop.stats(), liftsWithScores: x.table.size() },
    featureStates: x.states.stats(),
    health: x.health ?? null,
    alertsRaised: x.sender.raisedByVersion(),
    recentAlerts: [...x.sender.recent()].reverse().slice(0, 50),
    shadowAlerts: x.scorer.shadowLog().slice(-50).reverse(),
  };
}
