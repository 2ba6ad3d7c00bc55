import type { HealthView } from '@liftwatch/contract';
import type { HealthHistoryPort } from '@liftwatch/models';
import type { HealthPoint, StateStore } from '@liftwatch/state-store';

const toView = (p: HealthPoint): HealthView => ({
  liftId: p.liftId, at: p.at, score: p.score, grade: p.grade, confidence: p.confidence, paramsVersion: p.paramsVersion, components: p.components,
  reasons: p.reasons as unknown as HealthView['reasons'],
  caps: p.caps ?? [],
});

/**
 * Health history in the shared state store (issue 9 §3): every node appends the scores it computes,
 * and reads the latest scores of the others, so that any dashboards node serves every lift's grade.
 * A score without a grade (insufficient data) stays in the computing node's memory only: the shared
 * table keeps graded scores.
 */
export function stateHealthHistory(health: StateStore['health']): HealthHistoryPort {
  return {
    shared: true,
    latest: async (since) => (await health.latest(since)).map(toView),
    async append(v) {
      if (v.grade === null) return;
      await health.append({
        liftId: v.liftId, at: v.at, score: v.score, grade: v.grade, confidence: v.confidence, paramsVersion: v.paramsVersion, components: v.components,
        reasons: v.reasons as unknown as HealthPoint['reasons'], caps: v.caps.map((c) => ({ cap: c.cap, reason: c.reason, evidence: [...c.evidence] })),
      });
    },
    history: async (liftId, limit) => (await health.history(liftId, { limit, newestFirst: true })).map(toView),
  };
}
