import { faultCode, severityOf, type Severity } from '@liftwatch/contract';
import type { AnyRecord, LiftFeatureState } from '../features/lift-state.js';
import { computeHealth } from '../health/health.js';
import { createPlatformEvents } from '../health/platform-events.js';

/** A health grade at a time (undefined grade: not enough data to grade). */
export interface GradeSample { readonly at: number; readonly grade: string | undefined; readonly score: number }

/**
 * The health score of a lift being replayed, graded every `stepMs` from the replay's feature state.
 * The platform's alerts are stood in for by the lift's fault records, as alerting would open them: a
 * raised code opens an alert (or counts an occurrence on the open one), a cleared one clears and
 * closes it. Only alerts of the score's windows are kept, so memory stays bounded.
 */
export function createHealthSampler(liftId: string, stepMs: number) {
  const events = createPlatformEvents({ keepDays: 100 });
  const open = new Map<string, { id: number; openedAt: number; severity: Severity; occurrences: number }>();
  const grades: GradeSample[] = [];
  let ids = 0;
  let due = NaN;
  const change = (code: string, a: { id: number; openedAt: number; severity: Severity; occurrences: number }, ts: number, state: 'open' | 'resolved') =>
    events.alert({ id: a.id, liftId, code, severity: a.severity, state, openedAt: a.openedAt, updatedAt: ts, lastSeenAt: ts, conditionClearedAt: state === 'open' ? null : ts, occurrences: a.occurrences });

  return {
    grades,
    add(stream: string, r: AnyRecord): void {
      if (stream !== 'fault' || typeof r['code'] !== 'string') return;
      const code = faultCode(r['code']);
      if (code === undefined || code.severity === 'P4') return;
      const a = open.get(code.code);
      if (r['state'] === 'cleared') {
        if (a !== undefined) { change(code.code, a, r.ts, 'resolved'); open.delete(code.code); }
        return;
      }
      if (r['state'] !== 'raised') return;
      const next = a ?? { id: ++ids, openedAt: r.ts, severity: severityOf(code, r['passengersPresent'] === true), occurrences: 0 };
      next.occurrences++;
      open.set(code.code, next);
      change(code.code, next, r.ts, 'open');
    },
    /** Grade at `at` when a step has passed since the last grade. */
    grade(at: number, state: LiftFeatureState): void {
      if (!Number.isNaN(due) && at < due) return;
      due = at + stepMs;
      events.prune(at);
      const h = computeHealth(state, at, { events: events.of(liftId) });
      grades.push({ at, grade: h.grade, score: h.score });
    },
  };
}
