import type { LiftSimOptions } from './lift-options.js';

export type Fidelity = NonNullable<LiftSimOptions['fidelity']>;

const NEVER = Number.POSITIVE_INFINITY;

/** What a fidelity decides: which records are made and how often the periodic ones come. */
export interface FidelityPeriods {
  readonly fidelity: Fidelity;
  /** Status only as a heartbeat and on service-mode changes; env and device at longer periods. */
  readonly summary: boolean;
  /** Accelerated time: no motion samples, no status while moving. */
  readonly fast: boolean;
  readonly statusIdleMs: number;
  readonly statusMovingMs: number;
  readonly envPeriodMs: number;
  readonly devicePeriodMs: number;
}

/** The periods of a fidelity (LiftSimOptions.fidelity), with the lift's own status periods where given. */
export function fidelityPeriods(options: Pick<LiftSimOptions, 'statusIdleS' | 'statusMovingS'>, fidelity: Fidelity): FidelityPeriods {
  const summary = fidelity === 'summary';
  const fast = fidelity === 'fast' || summary;
  return {
    fidelity, summary, fast,
    statusIdleMs: (options.statusIdleS ?? (summary ? 900 : 10)) * 1000,
    statusMovingMs: fast ? NEVER : (options.statusMovingS ?? 1) * 1000,
    envPeriodMs: summary ? 900_000 : fast ? 300_000 : 60_000,
    devicePeriodMs: summary ? 3_600_000 : 600_000,
  };
}
