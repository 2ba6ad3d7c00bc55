import { precisionReport, type Finding, type PrecisionReport } from '@liftwatch/contract';
import type { AlertBackend } from './backend.js';

/**
 * What crews found when they closed alerts (docs/findings.md): recorded with the move that closes an
 * alert (alerting.ts) or later for one closed without (a P1 rescue), the precision of each model
 * version and rule computed from them, and the findings in pages as training labels.
 */
export function createFindings(backend: AlertBackend, now: () => number, changed: (alertId: number) => Promise<unknown>) {
  return {
    /** Records or replaces the finding of a closed alert (resolved, or a false alarm); the alert's change is published. */
    async record(alertId: number, finding: unknown, actor: string): Promise<Finding> {
      const saved = await backend.findings.put(alertId, finding, actor, now());
      await changed(alertId);
      return saved;
    },
    get: (alertId: number): Promise<Finding | undefined> => backend.findings.get(alertId),
    /** Precision per model id and version and per rule code, with counts and 95 % Wilson intervals. */
    precision: async (): Promise<PrecisionReport> => precisionReport(await backend.findings.tally()),
    /** Findings in the order of their alerts, after the alert id `after`; `since`: of alerts opened since then (ms). */
    page: (opts: { after: number; limit: number; since?: number }): Promise<Finding[]> => backend.findings.page(opts),
  };
}

export type Findings = ReturnType<typeof createFindings>;
