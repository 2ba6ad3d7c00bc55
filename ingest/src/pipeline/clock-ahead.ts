import { deadLetter, type RecordStep } from './message.js';

/**
 * A record whose device time is more than `clockMaxAheadS` ahead of the server's clock was checked
 * by the rules, but is not stored: it would stand as the lift's latest record until its date. It is
 * kept as a dead letter (LW_ERR_CLOCK_AHEAD) saying to set the terminal's clock.
 */
export const refuseFromTheFuture: RecordStep = (r, m, p) => {
  const rec = r.record;
  if (rec.ts <= m.rx + p.maxAheadMs) return true;
  const reason = `${r.stream} seq ${rec.seq} has device time ${new Date(rec.ts).toISOString()}, ${Math.round((rec.ts - m.rx) / 1000)} s ahead of the server's clock ` +
    `(limit ${p.detector.config.clockMaxAheadS} s): not stored, so that it never stands as the lift's latest record; set the terminal's clock (NTP)`;
  m.ops.push(deadLetter(p, m, 'LW_ERR_CLOCK_AHEAD', reason));
  return false;
};
