import { describe, expect, it } from 'vitest';
import { GOLDEN, reasonIn, REASON_KEYS, type LiftRecord, type StatusRecord } from '@liftwatch/contract';
import { createDetector, type Detection } from '../src/index.js';

// Every rule that opens an alert says why in English (its `reason`) and as a key with values, which the
// console and notifications render in the reader's language (packages/contract/src/reasons.ts).
const T0 = 1_780_000_000_000;
let seq = 0;
const status = (over: Partial<StatusRecord> = {}): LiftRecord => ({
  stream: 'status',
  record: { ...GOLDEN.status, seq: ++seq, ts: T0 + seq * 1000, speedMps: 0, direction: 'none', doorZone: true, carDoor: 'locked', passengersPresent: false, finalLimitUp: false, finalLimitDown: false, ...over },
});
const rec = <S extends LiftRecord['stream']>(stream: S, over: Record<string, unknown>): LiftRecord => ({ stream, record: { ...GOLDEN[stream], seq: ++seq, ts: T0 + seq * 1000, ...over } } as LiftRecord);
const raises = (ds: Detection[]) => ds.filter((d): d is Extract<Detection, { action: 'raise' }> => d.action === 'raise');

/** One raise of each rule, from records as a terminal sends them. */
function everyRule(): Array<Extract<Detection, { action: 'raise' }>> {
  const d = createDetector();
  const at = (s: number) => ({ wall: T0 + s * 1000, mono: s * 1000 });
  const out: Detection[] = [];
  out.push(...d.onRecord(rec('registry', { ratedSpeedMps: 1.75 }), at(0)));
  out.push(...d.onRecord(status({ speedMps: 1.7, doorZone: false }), at(1)));
  out.push(...d.onRecord(status({ speedMps: 1.6, doorZone: false, carDoor: 'opening' }), at(2))); // E03
  out.push(...d.onRecord(status({ speedMps: 2.3, doorZone: false }), at(3))); // E04
  out.push(...d.onRecord(status({ finalLimitUp: true, floor: 20, speedMps: 0.1 }), at(4))); // E05 top
  out.push(...d.onRecord(status({ finalLimitDown: true, floor: 1, speedMps: 0.1 }), at(5))); // E05 bottom
  out.push(...d.onRecord(rec('alarm', { kind: 'button', state: 'raised', floor: 3 }), at(6))); // E01
  out.push(...d.onRecord(rec('trip', { creepAfterStopMm: 120, toFloor: 4 }), at(7))); // E02 creep
  out.push(...d.onRecord(rec('fault', { code: 'E09', state: 'raised', detector: 'controller', floor: 5 }), at(8)));
  const ahead = rec('status', {});
  (ahead.record as { ts: number }).ts = T0 + 1_000_000; // 16 min ahead: Q02
  out.push(...d.onRecord(ahead, at(9)));
  const car = createDetector();
  car.onRecord(status({ passengersPresent: true, floor: 6, doorZone: false }), at(100));
  out.push(...car.onRecord(status({ passengersPresent: true, floor: 6, doorZone: false }), at(170))); // E01 entrapment
  return raises(out);
}

describe('alert reasons in the reader\'s language', () => {
  it('each rule gives a key with a Chinese sentence and its values; English stays the rule\'s own text', () => {
    const all = everyRule();
    expect(new Set(all.map((r) => r.reasonKey))).toEqual(new Set(['status.doorOpenedRunning', 'status.overspeed', 'status.overtravelTop', 'status.overtravelBottom', 'alarm.raised', 'trip.creep', 'fault.reported', 'clock.ahead', 'status.entrapment']));
    for (const r of all) {
      const reason = { text: r.reason, key: r.reasonKey, params: r.reasonParams };
      expect(REASON_KEYS, r.reasonKey).toContain(r.reasonKey);
      const zh = reasonIn('zh-CN', reason);
      expect(zh, `${r.reasonKey}: ${zh}`).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, `${r.reasonKey}: ${zh}`).not.toMatch(/undefined|NaN|\[object|\?/);
      const en = reasonIn('en', reason);
      expect(en, `${r.reasonKey}: ${en}`).not.toMatch(/[\u4e00-\u9fff]|undefined|NaN|\[object/);
    }
    const entrapment = all.find((r) => r.reasonKey === 'status.entrapment')!;
    expect(reasonIn('zh-CN', { text: entrapment.reason, key: entrapment.reasonKey, params: entrapment.reasonParams })).toBe('困人：轿门锁闭、轿内有人，轿厢停在 6 层门区外，已 70 秒（规则：60 秒）');
    expect(reasonIn('en', { text: entrapment.reason, key: entrapment.reasonKey, params: entrapment.reasonParams })).toBe('Passengers trapped: car door locked, passengers present and the car still at floor 6 outside the door zone for 70 s (rule: 60 s)');
  });

  it('a key the catalogue does not know falls back to the English text', () => {
    expect(reasonIn('zh-CN', { text: 'Something new', key: 'rule.fromTheFuture', params: {} })).toBe('Something new');
    expect(reasonIn('zh-CN', { text: 'No key' })).toBe('No key');
  });
});
