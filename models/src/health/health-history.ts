import type { HealthView } from '@liftwatch/contract';
import type { HealthPoint, StateStore } from '@liftwatch/state-store';
import type { HealthHistoryPort } from './health-service.js';

type Reason = HealthView['reasons'][number];
/** A stored reason; scores written before the components had ids (parameters health-1) kept only a text and its evidence. */
const reasonOf = (r: Reason | { text?: unknown; evidence?: unknown }): Reason => ('component' in r && typeof r.component === 'string' ? r
  : { component: '', pointsLost: 0, detail: 'text' in r ? String(r.text ?? '') : '', evidence: Array.isArray(r.evidence) ? r.evidence.map(String) : [] });

const toView = (p: HealthPoint): HealthView => ({
  liftId: p.liftId, at: p.at, score: p.score, grade: p.grade, confidence: p.confidence, paramsVersion: p.paramsVersion, components: p.components,
  reasons: (p.reasons as ReadonlyArray<Reason | { text?: unknown; evidence?: unknown }>).map(reasonOf),
  caps: p.caps ?? [],
});

/** A score as the state store keeps it. */
const toPoint = (v: HealthView): HealthPoint => ({
  liftId: v.liftId, at: v.at, score: v.score, grade: v.grade, confidence: v.confidence, paramsVersion: v.paramsVersion, components: v.components,
  reasons: v.reasons as unknown as HealthPoint['reasons'], caps: v.caps.map((c) => ({ cap: c.cap, reason: c.reason, evidence: [...c.evidence] })),
});

/**
 * The health history in the state store (table health_history): the all-in-one's SQLite file, or the
 * PostgreSQL every node shares (`shared`: each node appends the scores it computes and reads the
 * latest of the others, so any dashboards node serves every lift's grade). Appends are gathered and
 * written together once per `flushMs` (a city's first round scores every lift: one statement per
 * score held the event loop for seconds); reads and `flush` write what is gathered first.
 */
export function stateHealthHistory(health: StateStore['health'], options: { shared?: boolean; flushMs?: number; log?: (line: string) => void } = {}): HealthHistoryPort {
  let pending: HealthPoint[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): Promise<void> => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      writing = writing.then(() => health.appendMany(batch)).catch((err: unknown) => options.log?.(`health: storing ${batch.length} scores: ${String(err)}`));
    }
    return writing;
  };
  return {
    shared: options.shared ?? false,
    latest: async (since) => { await flush(); return (await health.latest(since)).map(toView); },
    append(v) {
      pending.push(toPoint(v));
      if (!timer) { timer = setTimeout(() => void flush(), options.flushMs ?? 1_000); timer.unref(); }
    },
    history: async (liftId, limit) => { await flush(); return (await health.history(liftId, { limit, newestFirst: true })).map(toView); },
    flush,
  };
}
