import type { HealthView } from '@liftwatch/contract';
import type { HealthPoint, StateStore } from '@liftwatch/state-store';
import type { HealthHistoryPort } from './health-service.js';

const toView = (p: HealthPoint): HealthView => ({
  liftId: p.liftId, at: p.at, score: p.score, grade: p.grade, confidence: p.confidence, paramsVersion: p.paramsVersion, components: p.components,
  reasons: p.reasons as unknown as HealthView['reasons'],
  caps: p.caps ?? [],
});

/**
 * The health history in the state store (table health_history): the all-in-one's SQLite file, or the
 * PostgreSQL every node shares (`shared`: each node appends the scores it computes and reads the
 * latest of the others, so any dashboards node serves every lift's grade).
 */
export function stateHealthHistory(health: StateStore['health'], options: { shared?: boolean } = {}): HealthHistoryPort {
  return {
    shared: options.shared ?? false,
    latest: async (since) => (await health.latest(since)).map(toView),
    async append(v) {
      await health.append({
        liftId: v.liftId, at: v.at, score: v.score, grade: v.grade, confidence: v.confidence, paramsVersion: v.paramsVersion, components: v.components,
        reasons: v.reasons as unknown as HealthPoint['reasons'], caps: v.caps.map((c) => ({ cap: c.cap, reason: c.reason, evidence: [...c.evidence] })),
      });
    },
    history: async (liftId, limit) => (await health.history(liftId, { limit, newestFirst: true })).map(toView),
  };
}
