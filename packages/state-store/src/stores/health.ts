import { lwError } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import { checkLiftId, checkTime } from '../check.js';

/** One computed health score of a lift (domain §6d): score, grade, data confidence, the parameters' version, components and top reasons. */
export interface HealthPoint {
  liftId: string; at: number; score: number; grade: 'A' | 'B' | 'C' | 'D' | 'E'; confidence: number; paramsVersion: string;
  components: Record<string, number>; reasons: Array<{ text: string; evidence?: string[] }>;
}
const GRADES: readonly string[] = ['A', 'B', 'C', 'D', 'E'];

/** Health history: a lift's scores over time, so a regulator can follow (and recompute) a grade. */
export function createHealth({ db }: StateDb) {
  return {
    /** Appends a score; the same (lift, time) twice keeps the first and returns false (a replay). */
    async append(p: HealthPoint): Promise<boolean> {
      checkLiftId(p.liftId);
      checkTime(p.at, `health score of ${p.liftId}: at`);
      if (!(p.score >= 0 && p.score <= 100)) throw lwError('LW_ERR_REQUEST_INVALID', `health score of ${p.liftId} is ${JSON.stringify(p.score)}: give 0–100`);
      if (!GRADES.includes(p.grade)) throw lwError('LW_ERR_REQUEST_INVALID', `health grade of ${p.liftId} is ${JSON.stringify(p.grade)}: give one of A–E`);
      if (!(p.confidence >= 0 && p.confidence <= 1)) throw lwError('LW_ERR_REQUEST_INVALID', `data confidence of ${p.liftId} is ${JSON.stringify(p.confidence)}: give 0–1`);
      const r = await db.insertInto('health_history').values({
        lift_id: p.liftId, at: p.at, score: p.score, grade: p.grade, confidence: p.confidence, params_version: p.paramsVersion,
        components_json: JSON.stringify(p.components), reasons_json: JSON.stringify(p.reasons),
      }).onConflict((oc) => oc.columns(['lift_id', 'at']).doNothing()).returning('lift_id').executeTakeFirst();
      return r !== undefined;
    },
    /** Scores of a lift in [from, to), oldest first. */
    async history(liftId: string, opts: { from?: number; to?: number; limit?: number } = {}): Promise<HealthPoint[]> {
      let q = db.selectFrom('health_history').selectAll().where('lift_id', '=', liftId).orderBy('at').limit(opts.limit ?? 1000);
      if (opts.from !== undefined) q = q.where('at', '>=', opts.from);
      if (opts.to !== undefined) q = q.where('at', '<', opts.to);
      return (await q.execute()).map((r) => ({
        liftId: r.lift_id, at: r.at, score: r.score, grade: r.grade as HealthPoint['grade'], confidence: r.confidence, paramsVersion: r.params_version,
        components: JSON.parse(r.components_json) as Record<string, number>, reasons: JSON.parse(r.reasons_json) as HealthPoint['reasons'],
      }));
    },
  };
}
