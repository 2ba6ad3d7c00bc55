import { evidenceOf, isoTime, type DetectorConfig, type Detection, type ServerTime } from './detection.js';
import { closeCondition, openCondition, type RuleMemory } from './rule-memory.js';

const NONE: Detection[] = [];

/** The key of the clock condition among a lift's open conditions. */
const CLOCK_KEY = 'clock';
/** The data-quality code of a terminal clock that is wrong (packages/contract codes.ts). */
export const CLOCK_CODE = 'Q02';

/**
 * Q02: the terminal's clock is off. A record cannot reach the server before it was made, so a device
 * time ahead of the server's clock by more than `clockAlertS` is proof at once. A device time behind
 * may only mean an old record (a backlog sent after an outage), so it counts once every record has
 * shown it for `clockBehindForS` while the device time advanced no faster than the server's: a
 * backlog catching up advances much faster. The condition clears when a record is within half the
 * bound (hysteresis: an offset near the bound does not flap).
 */
export function clockRules(cfg: DetectorConfig, memory: RuleMemory, stream: string, rec: { liftId: string; seq: number; ts: number }, at: ServerTime): Detection[] {
  const offsetMs = rec.ts - at.wall;
  const boundMs = cfg.clockAlertS * 1000;
  const open = memory.active.has(CLOCK_KEY);
  if (offsetMs > boundMs) {
    memory.clockBehind = undefined;
    return open ? NONE : [raise(cfg, memory, stream, rec, at, offsetMs)];
  }
  if (offsetMs < -boundMs) {
    const b = memory.clockBehind;
    if (!b || rec.ts - b.sinceTs > at.mono - b.sinceMono + boundMs) {
      memory.clockBehind = { sinceMono: at.mono, sinceTs: rec.ts };
      return NONE;
    }
    return open || at.mono - b.sinceMono < cfg.clockBehindForS * 1000 ? NONE : [raise(cfg, memory, stream, rec, at, offsetMs)];
  }
  memory.clockBehind = undefined;
  if (!open || Math.abs(offsetMs) > boundMs / 2) return NONE;
  closeCondition(memory, CLOCK_KEY);
  return [{ action: 'clear', liftId: rec.liftId, code: CLOCK_CODE, note: `${stream} seq ${rec.seq}: terminal clock within ${Math.round(Math.abs(offsetMs) / 1000)} s of the server's` }];
}

function raise(cfg: DetectorConfig, memory: RuleMemory, stream: string, rec: { liftId: string; seq: number; ts: number }, at: ServerTime, offsetMs: number): Detection {
  openCondition(memory, CLOCK_KEY, CLOCK_CODE);
  const ahead = offsetMs > 0;
  const offsetS = Math.round(offsetMs / 1000);
  const refused = offsetMs > cfg.clockMaxAheadS * 1000;
  return {
    action: 'raise', code: CLOCK_CODE,
    reason: `Terminal clock ${ahead ? 'ahead of' : 'behind'} the server's by ${Math.abs(offsetS)} s (device time ${isoTime(rec.ts)}, server ${isoTime(at.wall)}; rule: more than ${cfg.clockAlertS} s): ` +
      `set the terminal's time source (NTP); ${refused ? `its records more than ${cfg.clockMaxAheadS} s ahead are refused until then` : 'its records are stored with the wrong time until then'}. ` +
      'Safety rules time on the server\'s clock and are not affected.',
    reasonKey: ahead ? 'clock.ahead' : 'clock.behind', reasonParams: { offsetS: Math.abs(offsetS), ruleS: cfg.clockAlertS, refused, maxAheadS: cfg.clockMaxAheadS },
    evidence: evidenceOf(rec.liftId, stream, rec, { deviceTs: rec.ts, serverTs: at.wall, offsetS }),
  };
}
