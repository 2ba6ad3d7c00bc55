import type { RecordStep } from './message.js';

/**
 * The safety rules on the record (detect/detector.ts), before it is stored: durations on the
 * server's monotonic clock at the message's receipt (`m.at`), never the device's.
 */
export const detect: RecordStep = (r, m, p) => {
  m.detections = p.detector.onRecord(r, m.at, m.lift);
  return true;
};
