// When the inbox reads an alert's escalation again (escalation.js): soon while something is under way,
// else when the next step or reminder is due.

/** While a delivery is under way, or nobody was notified yet in an alert's first 15 s: every 2 s. */
export const BUSY_MS = 2_000;
/** An alert that notified nobody yet after its first 15 s (a queue behind a burst, a plan with nobody to call): every 10 s. */
export const NOBODY_YET_MS = 10_000;
/** Read a step this long after it was due, so the answer already shows what it did. */
export const AFTER_DUE_MS = 1_500;

/**
 * Milliseconds until the escalation of an alert opened at `openedAt` is read again, given its last
 * `view` (GET /api/alerts/:id/escalation); null: nothing will change by itself (a closed alert's
 * last step was taken).
 */
export function nextReadIn(view, openedAt, now, open = true) {
  if (view.notified.some((d) => d.outcome === 'sending' || d.outcome === 'retrying')) return BUSY_MS;
  if (view.notified.length === 0 && open) return now - openedAt < 15_000 ? BUSY_MS : NOBODY_YET_MS;
  const due = [view.next?.at, view.reminder?.at].filter((x) => x > now);
  return due.length ? Math.min(...due) - now + AFTER_DUE_MS : null;
}
