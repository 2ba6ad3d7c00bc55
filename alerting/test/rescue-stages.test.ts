import { describe, expect, it } from 'vitest';
import { auditMessageKind, envelopeOf, localTime } from '../src/exchange/payloads.js';
import { retryDelay } from '../src/exchange/sender.js';
import { DEFAULT_RESCUE_LIMITS, parseTargets, rescueChecks, rescueStages, type CallStages } from '../src/exchange/stages.js';

const MIN = 60_000;
const T = Date.UTC(2026, 2, 1, 2, 0, 0); // 10:00:00 in Shanghai
const call = (over: Partial<CallStages> = {}): CallStages => ({ receivedAt: T, dispatchedAt: null, onSiteAt: null, releasedAt: null, falseAlarmAt: null, ...over });

describe('rescue stages', () => {
  it('the alarm is the earlier of the alert and the first call; each stage the earliest report of it', () => {
    // The terminal saw the entrapment at 10:00:30; the caller got through at 10:00:00.
    const audit = [{ action: 'opened', at: T + 30_000 }, { action: 'acknowledged', at: T + 2 * MIN }, { action: 'onSite', at: T + 20 * MIN }, { action: 'resolved', at: T + 26 * MIN }];
    const stages = rescueStages({ openedAt: T + 30_000, state: 'resolved' }, audit, [call({ dispatchedAt: T + 50_000, onSiteAt: T + 22 * MIN })]);
    expect(stages).toEqual({ alarmAt: T, dispatchedAt: T + 50_000, onSiteAt: T + 20 * MIN, releasedAt: T + 26 * MIN, falseAlarm: false });
  });

  it('times each stage to the minute against the 30-minute arrival and the 1-3-5 targets', () => {
    const stages = { alarmAt: T, dispatchedAt: T + 50_000, onSiteAt: T + 20 * MIN, releasedAt: null, falseAlarm: false };
    // At 10:07: response 50 s = 0.8 min ≤ 1 (met); on site 20 min: within 30 (met), over 3 (failed); released: not yet, and 7 min > 5 (failed).
    expect(rescueChecks(stages, DEFAULT_RESCUE_LIMITS, T + 7 * MIN)).toEqual([
      { rule: 'arrival', stage: 'onSite', limitMin: 30, minutes: 20, met: true },
      { rule: '1-3-5 response', stage: 'dispatched', limitMin: 1, minutes: 0.8, met: true },
      { rule: '1-3-5 on site', stage: 'onSite', limitMin: 3, minutes: 20, met: false },
      { rule: '1-3-5 release', stage: 'released', limitMin: 5, minutes: null, met: false },
    ]);
  });

  it('a stage not reached is undecided until its limit passes; a false alarm waits for nothing', () => {
    const open = { alarmAt: T, dispatchedAt: null, onSiteAt: null, releasedAt: null, falseAlarm: false };
    const limits = { arrivalMin: 30, targetsMin: null };
    expect(rescueChecks(open, limits, T + 30 * MIN)).toEqual([{ rule: 'arrival', stage: 'onSite', limitMin: 30, minutes: null, met: null }]);
    expect(rescueChecks(open, limits, T + 30 * MIN + 1)[0]!.met).toBe(false);
    expect(rescueChecks({ ...open, falseAlarm: true }, limits, T + 90 * MIN)[0]!.met).toBeNull();
    expect(rescueStages({ openedAt: T, state: 'open' }, [], [call({ falseAlarmAt: T + MIN })]).falseAlarm).toBe(true);
  });

  it('reads the 1-3-5 targets from a setting, and names a wrong one', () => {
    expect(parseTargets('1,3,5')).toEqual([1, 3, 5]);
    expect(parseTargets(' 2, 5 ,10 ')).toEqual([2, 5, 10]);
    expect(parseTargets('')).toBeNull();
    expect(() => parseTargets('5,3,1')).toThrow(/rescue targets "5,3,1" are not three increasing minutes: give e.g. "1,3,5"/);
    expect(() => parseTargets('1,3')).toThrow(/not three increasing minutes/);
  });
});

describe('exchange payloads', () => {
  it('an entrapment\'s stages become rescue messages, other events\' opening and closing fault messages, the rest nothing', () => {
    const line = (code: string, action: string) => ({ code, action, alertId: 7, auditId: 40 });
    expect(auditMessageKind(line('E01', 'onSite'))).toEqual({ type: 'rescue', key: 'rescue.7.40' });
    expect(auditMessageKind(line('E01', 'rescueCall'))).toEqual({ type: 'rescue', key: 'rescue.7.40' });
    expect(auditMessageKind(line('E01', 'escalated'))).toBeUndefined();
    expect(auditMessageKind(line('E09', 'opened'))).toEqual({ type: 'fault', key: 'fault.7.40' });
    expect(auditMessageKind(line('E09', 'falseAlarm'))).toEqual({ type: 'fault', key: 'fault.7.40' });
    expect(auditMessageKind(line('E09', 'acknowledged'))).toBeUndefined();
    expect(auditMessageKind(line('D01', 'opened'))).toBeUndefined(); // a prediction is not a fault
    expect(auditMessageKind(line('Q01', 'opened'))).toBeUndefined();
  });

  it('writes local times as yyyy-MM-dd HH:mm:ss in the platform\'s zone', () => {
    expect(localTime(T, 'Asia/Shanghai')).toBe('2026-03-01 10:00:00');
    expect(localTime(T, 'UTC')).toBe('2026-03-01 02:00:00');
    expect(localTime(Date.UTC(2026, 11, 31, 16, 0, 0), 'Asia/Shanghai')).toBe('2027-01-01 00:00:00');
    const m = envelopeOf({ id: 3, idempotencyKey: 'fault.7.40', type: 'fault', subject: 'L-1', version: 40, occurredAt: T, payload: { a: 1 } }, 'Asia/Shanghai');
    expect(m).toMatchObject({ schema: 'liftwatch.exchange/1', id: 3, occurredAtLocal: '2026-03-01 10:00:00', timeZone: 'Asia/Shanghai', data: { a: 1 } });
  });

  it('waits longer after each failed try, up to the longest wait', () => {
    expect([1, 2, 3, 4, 8, 40].map((n) => retryDelay(n, 5_000, 600_000))).toEqual([5_000, 10_000, 20_000, 40_000, 600_000, 600_000]);
  });
});
