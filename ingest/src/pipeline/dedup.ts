import { earlierCopy } from '../inflight-seqs.js';
import type { RecordStep } from './message.js';

/**
 * A record whose seq of its lift is still being committed (a copy sent again moments ago) is neither
 * detected nor stored again: its message is acknowledged once the first copy's commit is
 * (inflight-seqs.ts). Older replays are caught by the telemetry store's key.
 */
export const dedup: RecordStep = (r, m, p) => {
  const earlier = earlierCopy(m.lift!, r.record.seq);
  if (!earlier) return true;
  p.stats.duplicates++;
  (m.replays ??= []).push(earlier);
  return false;
};
