import type { Selectable } from 'kysely';
import { lwError } from '@liftwatch/contract';
import type { HealthHistoryTable } from '../tables.js';
import type { StateDb } from '../open.js';
import { checkLiftId, checkTime } from '../check.js';

/** One computed health score of a lift (docs/health-score.md): score, grade, data confidence, the parameters' version, components and top reasons. */
export interface HealthPoint {
  liftId: string; at: number; score: number; grade: 'A' | 'B' | 'C' | 'D' | 'E' | null; confidence: number; paramsVersion: string;
  components: Record<string, number>; reasons: Array<{ text: string; evidence?: string[] }>;
  /** What held the score down, with the records behind it (none when nothing capped it). */
  caps?: Array<{ cap: number; reason: string; evidence: string[] }>;
}
const GRADES: readonly string[] = ['A', 'B', 'C', 'D', 'E'];

const toPoint = (r: Selectable<HealthHistoryTable>): HealthPoint => ({
  liftId: r.lift_id, at: Number(r.at), score: r.score, grade: r.grade as HealthPoint['grade'], confidence: r.confidence, paramsVersion: r.params_version,
  components: JSON.parse(r.components_json) as Record<string, number>, reasons: JSON.parse(r.reasons_json) as HealthPoint['reasons'],
  caps: JSON.parse(r.caps_json) as NonNullable<HealthPoint['caps']>,
});

/** Rows of one statement: nine parameters a row stays below both dialects' limits. */
const CHUNK = 500;

/** A score checked and as its row. */
function toRow(p: HealthPoint) {
  checkLiftId(p.liftId);
  checkTime(p.at, `health score of ${p.liftId}: at`);
  if (!(p.score >= 0 && p.score <= 100)) throw lwError('LW_ERR_REQUEST_INVALID', `health score of ${p.liftId} is ${JSON.stringify(p.score)}: give 0–100`);
  if (p.grade !== null && !GRADES.includes(p.grade)) throw lwError('LW_ERR_REQUEST_INVALID', `health grade of ${p.liftId} is ${JSON.stringify(p.grade)}: give one of A–E, or null (too little data)`);
  if (!(p.confidence >= 0 && p.confidence <= 1)) throw lwError('LW_ERR_REQUEST_INVALID', `data confidence of ${p.liftId} is ${JSON.stringify(p.confidence)}: give 0–1`);
  return {
    lift_id: p.liftId, at: p.at, score: p.score, grade: p.grade, confidence: p.confidence, params_version: p.paramsVersion,
    components_json: JSON.stringify(p.components), reasons_json: JSON.stringify(p.reasons), caps_json: JSON.stringify(p.caps ?? []),
  };
}

/** Health history: a lift's scores over time, so a regulator can follow (and recompute) a grade. */
export function createHealth({ db }: StateDb) {
  return {
    /** Appends a score; the same (lift, time) twice keeps the first and returns false (a replay). */
    async append(p: HealthPoint): Promise<boolean> {
      const r = await db.insertInto('health_history').values(toRow(p))
        .onConflict((oc) => oc.columns(['lift_id', 'at']).doNothing()).returning('lift_id').executeTakeFirst();
      return r !== undefined;
    },
    /**
     * Appends many scores in a few statements (a city's first scores come by the ten thousand; one
     * statement each would hold the event loop); replays are skipped as in `append`.
     */
    async appendMany(points: readonly HealthPoint[]): Promise<void> {
      const rows = points.map(toRow);
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db.insertInto('health_history').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.columns(['lift_id', 'at']).doNothing()).execute();
      }
    },
    /**
     * The latest score of each lift among those computed after `since` (all: 0), for a node that
     * serves the latest scores from memory: read at start, then what other nodes computed since.
     */
    async latest(since = -1): Promise<HealthPoint[]> {
      const newest = db.selectFrom('health_history').select((e) => ['lift_id', e.fn.max('at').as('max_at')]).where('at', '>', since).groupBy('lift_id').as('m');
      return (await db.selectFrom('health_history as h').innerJoin(newest, (j) => j.onRef('m.lift_id', '=', 'h.lift_id').onRef('m.max_at', '=', 'h.at')).selectAll('h').execute()).map(toPoint);
    },
    /** Scores of a lift in [from, to), oldest first (`newestFirst`: the newest `limit` of them, newest first). */
    async history(liftId: string, opts: { from?: number; to?: number; limit?: number; newestFirst?: boolean } = {}): Promise<HealthPoint[]> {
      let q = db.selectFrom('health_history').selectAll().where('lift_id', '=', liftId).orderBy('at', opts.newestFirst ? 'desc' : 'asc').limit(opts.limit ?? 1000);
      if (opts.from !== undefined) q = q.where('at', '>=', opts.from);
      if (opts.to !== undefined) q = q.where('at', '<', opts.to);
      return (await q.execute()).map(toPoint);
    },
  };
}
