import type { ConfigMessage } from '@liftwatch/contract';
import type { RecordDraft } from './spool/spool.js';

/** Fields whose change sends a status record at once, whatever the period (a change of door, zone, mode or safety signal is news). */
const CHANGE_FIELDS = ['serviceMode', 'direction', 'carDoor', 'carDoorB', 'doorZone', 'safetyChainOk', 'doorLockChainOk', 'powerSource', 'finalLimitUp', 'finalLimitDown', 'passengersPresent'] as const;

/**
 * Applies the remote config's status periods at the edge: a status record passes when its period
 * (`statusMovingS` while moving, `statusIdleS` at rest) has elapsed since the last one sent, or at
 * once when the door, zone, mode, direction or a safety signal changed. Without those settings every
 * status record passes (the source's own period rules).
 */
export function createStatusThrottle() {
  let idleMs: number | undefined;
  let movingMs: number | undefined;
  let last: Readonly<Record<string, unknown>> | undefined;
  let skipped = 0;
  return {
    configure(config: ConfigMessage): void {
      idleMs = config.statusIdleS === undefined ? undefined : config.statusIdleS * 1000;
      movingMs = config.statusMovingS === undefined ? undefined : config.statusMovingS * 1000;
    },
    /** True when this draft should be sent. Non-status drafts always pass. */
    pass(d: RecordDraft): boolean {
      if (d.stream !== 'status') return true;
      const r = d.record;
      const moving = r['direction'] !== 'none' || r['speedMps'] !== 0;
      const period = moving ? movingMs : idleMs;
      const changed = last === undefined || CHANGE_FIELDS.some((f) => r[f] !== last![f]);
      const elapsed = last === undefined ? Number.POSITIVE_INFINITY : (r['ts'] as number) - (last['ts'] as number);
      if (period === undefined || changed || elapsed >= period) {
        last = r;
        return true;
      }
      skipped++;
      return false;
    },
    skipped: () => skipped,
  };
}
