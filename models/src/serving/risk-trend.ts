import type Database from 'better-sqlite3';
import { ensureNodeTable } from '@liftwatch/state-store';

const DAY = 86_400_000;
/** Days of risk trend kept per lift. */
export const TREND_DAYS = 90;

/** One day of a lift's risk: the highest score of each model that day. */
export interface TrendDay { readonly day: number; readonly scores: Readonly<Record<string, number>> }

/** Where each lift's daily highest scores are kept (one row per lift, written once a day at most). */
export interface RiskTrendPort {
  append(liftId: string, day: number, modelIds: readonly string[], highest: Float32Array): void;
  read(liftId: string): TrendDay[];
}

/**
 * The risk trend in the node's SQLite file, table `model_risk_days`: per lift, the models' names and a
 * block of float32 scores, one row of models per day for the last TREND_DAYS days (about 2 KB a lift).
 */
export function sqliteRiskTrend(db: Database.Database): RiskTrendPort {
  ensureNodeTable(db, 'model_risk_days');
  const get = db.prepare<[string], { models: string; first_day: number; days: Buffer }>('SELECT models, first_day, days FROM model_risk_days WHERE lift_id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO model_risk_days (lift_id, models, first_day, days) VALUES (?, ?, ?, ?)');
  const decode = (row: { models: string; first_day: number; days: Buffer }): TrendDay[] => {
    const models = row.models.split(',');
    const v = new Float32Array(row.days.buffer.slice(row.days.byteOffset, row.days.byteOffset + row.days.byteLength));
    const out: TrendDay[] = [];
    for (let d = 0; d * models.length < v.length; d++) {
      const scores = Object.fromEntries(models.map((m, k) => [m, v[d * models.length + k]!]).filter(([, s]) => Number.isFinite(s as number)));
      if (Object.keys(scores).length > 0) out.push({ day: row.first_day + d, scores });
    }
    return out;
  };
  return {
    append(liftId, day, modelIds, highest) {
      const old = get.get(liftId);
      const known = (old === undefined ? [] : decode(old)).filter((t) => t.day < day && t.day > day - TREND_DAYS);
      const first = known[0]?.day ?? day;
      const v = new Float32Array((day - first + 1) * modelIds.length).fill(NaN);
      for (const t of known) modelIds.forEach((m, k) => { v[(t.day - first) * modelIds.length + k] = t.scores[m] ?? NaN; });
      v.set(highest, (day - first) * modelIds.length);
      put.run(liftId, modelIds.join(','), first, Buffer.from(v.buffer));
    },
    read: (liftId) => { const row = get.get(liftId); return row === undefined ? [] : decode(row); },
  };
}

/** The risk trend in memory (tests, a node without a file). */
export function memoryRiskTrend(): RiskTrendPort {
  const m = new Map<string, TrendDay[]>();
  return {
    append(liftId, day, modelIds, highest) {
      const l = (m.get(liftId) ?? []).filter((t) => t.day < day && t.day > day - TREND_DAYS);
      l.push({ day, scores: Object.fromEntries(modelIds.map((id, k) => [id, highest[k]!]).filter(([, s]) => Number.isFinite(s as number))) });
      m.set(liftId, l);
    },
    read: (liftId) => m.get(liftId) ?? [],
  };
}

export const dayStart = (day: number) => day * DAY;
