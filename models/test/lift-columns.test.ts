import { describe, expect, it } from 'vitest';
import type { HealthView } from '@liftwatch/contract';
import { createServedScores } from '../src/health/served-scores.js';
import { createRiskTable } from '../src/serving/risk-table.js';
import { createLiftNumbers } from '../src/serving/lift-numbers.js';

const DAY = 86_400_000;

const view = (liftId: string, at: number, score: number, grade: HealthView['grade']): HealthView => ({
  liftId, at, score, grade, provisional: false, confidence: 0.9, paramsVersion: 'v-test',
  components: { S1: 100, S2: 90, S3: score, S4: 80, S5: 100, S6: 100 }, reasons: [], caps: [],
});

describe('the risk table, by lift numbers shared with the serving', () => {
  it('knows only lifts it scored, though the numbers hold others, and keeps each past thousands of lifts', () => {
    const lifts = createLiftNumbers();
    const table = createRiskTable(['door', 'brake'], undefined, lifts);
    lifts.numberOf('L-only-numbered');
    for (let k = 0; k < 3_000; k++) table.set(`L-${k}`, k % 2, 1_000 + k, (k % 100) / 100);
    expect(table.size()).toBe(3_000);
    expect(table.get('L-only-numbered')).toBeUndefined();
    expect(table.scoredAt('L-only-numbered')).toBe(-Infinity);
    expect(table.relative('L-never', [0.5, 0.5])).toBeNull();
    const got = table.get('L-2999')!;
    expect(got.at).toBe(3_999);
    expect(got.latest[1]).toBeCloseTo(0.99, 5);
    expect(table.relative('L-2999', [0.5, 0.5])).toBeCloseTo(0.99 / 0.5, 5);
    const bins = table.distribution();
    // Every scored lift in each model's bins (a model not yet scored for it at 0), none of the numbered only.
    expect(bins['door']!.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(bins['brake']!.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(bins['brake']![9]).toBe(150); // k odd with k % 100 in 91, 93, …, 99: 5 in each hundred
  });

  it('hands the finished day its highest scores when a lift is scored on a later day', () => {
    const days: Array<[string, number, number[]]> = [];
    const table = createRiskTable(['door'], (liftId, day, highest) => days.push([liftId, day, [...highest]]));
    table.set('L-1', 0, 10 * DAY + 1, 0.2);
    table.set('L-1', 0, 10 * DAY + 2, 0.7);
    table.set('L-1', 0, 10 * DAY + 3, 0.4);
    table.set('L-1', 0, 11 * DAY, 0.1);
    expect(days).toHaveLength(1);
    expect(days[0]![0]).toBe('L-1');
    expect(days[0]![1]).toBe(10);
    expect(days[0]![2][0]).toBeCloseTo(0.7, 5);
    expect(table.get('L-1')!.highest[0]).toBeCloseTo(0.1, 5);
  });
});

describe('served health scores', () => {
  it('keep the newest score of each lift, refuse an older one and count grades of scored lifts only', () => {
    const lifts = createLiftNumbers();
    const served = createServedScores(lifts);
    lifts.numberOf('L-unscored');
    for (let k = 0; k < 2_500; k++) expect(served.set(view(`L-${k}`, 5_000, 95, 'A'))).toBe(true);
    expect(served.set(view('L-7', 6_000, 42.04, 'D'))).toBe(true);
    expect(served.set(view('L-7', 5_500, 90, 'A'))).toBe(false);
    expect(served.get('L-7')).toMatchObject({ at: 6_000, score: 42, grade: 'D' });
    expect(served.grade('L-unscored')).toBe('none');
    expect(served.has('L-unscored')).toBe(false);
    expect(served.size()).toBe(2_500);
    expect(served.distribution().grades).toMatchObject({ A: 2_499, D: 1, none: 0 });
  });

  it('say a history row is due on a grade change, a move of the score or after the interval', () => {
    const served = createServedScores();
    const first = view('L-1', 1_000, 80, 'B');
    served.set(first);
    expect(served.due(first, 1, DAY)).toBe(true);
    served.written(first);
    expect(served.due(view('L-1', 2_000, 80.5, 'B'), 1, DAY)).toBe(false);
    expect(served.due(view('L-1', 2_000, 81, 'B'), 1, DAY)).toBe(true);
    expect(served.due(view('L-1', 2_000, 80, 'C'), 1, DAY)).toBe(true);
    expect(served.due(view('L-1', 1_000 + DAY, 80, 'B'), 1, DAY)).toBe(true);
  });
});
