import { REFERENCE_LIMITS } from '@liftwatch/contract';

/**
 * The health-score parameters, versioned: every score carries HEALTH_PARAMS.version and the
 * parameters' sha256, so a regulator can recompute it with the same file (docs/health-score.md).
 * Anchors are [metric, score] points, linear between them, flat outside. Condition metrics come from
 * the lift's streaming feature state (recent level: the last day; baseline: its own weeks before);
 * safety events, entrapments, downtime and visits from the platform's alerts and visits.
 */
export const HEALTH_PARAMS = Object.freeze({
  version: '2.0.0',
  /** Component weights (sum 100). */
  weights: { S1: 30, S2: 20, S3: 15, S4: 10, S5: 15, S6: 10 },
  /** Rolling window of most event metrics, days (30 by default; 90 for rare events). */
  windowDays: 30,
  rareWindowDays: 90,
  /** Event decay half-life, days. */
  halfLifeDays: 30,
  /**
   * S1 safety events: alerts of severity P1 (but entrapments, which are S2) weigh weightP1; the
   * safety-chain, lock-chain and brake codes weigh weightP2. Each occurrence counts.
   */
  s1: { p2Codes: ['E07', 'E08', 'E16'], weightP1: 10, weightP2: 3, scale: 5 },
  s2: { entrapments: [[0, 100], [1, 70], [2, 40], [3, 10]], downtimeHPerMonth: [[2, 100], [8, 60], [24, 0]], blend: [0.6, 0.4] },
  s3: {
    closeP95Drift: [[0.05, 100], [0.15, 60], [0.3, 20]], reopenRatio: [[0.02, 100], [0.05, 70], [0.1, 40], [0.2, 0]],
    lockMadeP95Drift: [[0.1, 100], [0.3, 60], [0.6, 20]], doorFaults: [[0, 100], [1, 80], [3, 50], [6, 20]],
    /** Door closing time p95 as a share of the GB/T 10058 door time. */
    closeLimitShare: [[1, 100], [1.25, 60], [1.5, 30], [2, 0]],
  },
  /** A95 (recent mean) as a share of the GB/T 10058 limits; mean |stopping error| (its p95 is about 2.5 × the mean). */
  s4: { a95Ratio: [[0.5, 100], [1, 50], [1.5, 0]], stopErrMeanMm: [[2, 100], [4, 70], [6, 40], [8, 0]] },
  s5: {
    brakeDrift: [[0, 100], [0.2, 60], [0.5, 0]], relevelsPer100: [[0, 100], [2, 60], [5, 0]], tempResidualExcessC: [[3, 100], [10, 30], [20, 0]],
    slipMm: [[5, 100], [20, 50], [50, 0]], windingMaxC: [[100, 100], [120, 60], [140, 0]],
  },
  /**
   * S6: a lift is maintained at least every `cycleDays` (Regulation on Special Equipment Safety
   * Supervision, Art. 31); a visit more than `graceDays` late scores `overdueScore` (and caps the total);
   * the days since the last visit follow the anchors. E18 (alarm system) in the window: at most 60.
   */
  s6: { cycleDays: 15, graceDays: 3, overdueScore: 50, daysSinceVisit: [[15, 100], [18, 50], [45, 0]], alarmScore: 60 },
  caps: {
    activeP1: 40, severe7d: 50, severe30d: 70, severeCodes: ['E02', 'E03', 'E04', 'E05'], maintenanceOverdue: 60, chainOpens7d: { count: 3, cap: 60 }, alarmSystem: 65,
    /** A measured value beyond its standard's limit: more than `over` × the limit caps at `cap` (door closing p95, ride A95). */
    limit: [{ over: 1.5, cap: 69 }, { over: 1.25, cap: 84 }],
  },
  limits: { doorCloseS: REFERENCE_LIMITS.doorCloseS, a95XY: REFERENCE_LIMITS.rideA95XYMps2, a95Z: REFERENCE_LIMITS.rideA95ZMps2 },
  /** Grade bands: lower bounds of A, B, C, D; below D is E. */
  grades: [[85, 'A'], [70, 'B'], [55, 'C'], [40, 'D']],
  /** Below this confidence a grade is provisional (shown with its confidence). */
  minConfidence: 0.6,
  /** A grade needs at least this many (decayed) trips in the recent level (a few hours of use) or in the baseline (it stays through quiet hours). */
  minRecentTrips: 3,
  /** Q01 data-quality alerts: each in the window takes this much sensor health. */
  q01Penalty: 0.1,
} as const);
export type HealthParams = typeof HEALTH_PARAMS;
