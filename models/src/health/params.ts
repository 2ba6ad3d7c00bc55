/**
 * The health-score parameters, versioned: every score carries HEALTH_PARAMS.version
 * and the parameters' sha256, so a regulator can recompute it from the raw records with the same
 * file. Anchors are [metric, score] points, linear between them, flat outside.
 */
export const HEALTH_PARAMS = Object.freeze({
  version: '1.0.0',
  /** Component weights (sum 100). */
  weights: { S1: 30, S2: 20, S3: 15, S4: 10, S5: 15, S6: 10 },
  /** Rolling window of most metrics, days (30 by default; 90 for rare events). */
  windowDays: 30,
  rareWindowDays: 90,
  /** Recent window compared with the lift's baseline, days. */
  recentDays: 7,
  /** Event decay half-life, days. */
  halfLifeDays: 30,
  s1: { codes: ['E02', 'E03', 'E04', 'E05', 'E07', 'E08', 'E16'], p1Codes: ['E02', 'E03', 'E04', 'E05'], weightP1: 10, weightP2: 3, scale: 5, creepMm: 0 },
  s2: { entrapments: [[0, 100], [1, 70], [2, 40], [3, 10]], downtimeHPerMonth: [[2, 100], [8, 60], [24, 0]], blend: [0.6, 0.4] },
  s3: { closeP95Drift: [[0.05, 100], [0.15, 60], [0.3, 20]], reopenRatio: [[0.02, 100], [0.05, 70], [0.1, 40], [0.2, 0]], lockMadeP95Drift: [[0.1, 100], [0.3, 60], [0.6, 20]], doorFaults: [[0, 100], [1, 80], [3, 50], [6, 20]] },
  /** GB/T 10058: A95 limits x, y 0.15 m/s², z 0.20 m/s². */
  s4: { a95LimitXY: 0.15, a95LimitZ: 0.2, a95Ratio: [[0.5, 100], [1, 50], [1.5, 0]], stopErrP95Mm: [[5, 100], [10, 70], [15, 40], [20, 0]] },
  s5: { brakeDrift: [[0, 100], [0.2, 60], [0.5, 0]], relevelsPer100: [[0, 100], [2, 60], [5, 0]], tempResidualC: [[3, 100], [10, 30], [20, 0]], slipMm: [[5, 100], [20, 50], [50, 0]] },
  s6: { overdueDays: 3, overdueScore: 50 },
  caps: { activeP1: 40, severe7d: 50, severe30d: 70, maintenanceOverdue: 60, chainOpens7d: { count: 3, cap: 60 }, alarmSystem: 65 },
  /** Grade bands: lower bounds of A, B, C, D; below D is E. */
  grades: [[85, 'A'], [70, 'B'], [55, 'C'], [40, 'D']],
  /** Below this confidence the lift is "insufficient data" and gets no grade. */
  minConfidence: 0.6,
  /** Q01 data-quality faults: each in the window takes this much sensor health. */
  q01Penalty: 0.1,
} as const);
export type HealthParams = typeof HEALTH_PARAMS;
