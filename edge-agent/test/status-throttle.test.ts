import { describe, expect, it } from 'vitest';
import { GOLDEN, GOLDEN_CONFIG } from '@liftwatch/contract';
import { createStatusThrottle } from '../src/status-throttle.js';
import type { RecordDraft } from '../src/index.js';

const { seq: _seq, ...base } = GOLDEN.status;
const status = (ts: number, over: Record<string, unknown> = {}): RecordDraft => ({ stream: 'status', record: { ...base, ts, direction: 'none', speedMps: 0, carDoor: 'closed', ...over } });

describe('status periods from the remote config', () => {
  it('passes everything until configured, then one status per period, and at once on a change of door or direction', () => {
    const t = createStatusThrottle();
    const t0 = 1_764_400_000_000;
    expect([0, 1, 2].map((i) => t.pass(status(t0 + i * 1000)))).toEqual([true, true, true]);
    t.configure({ ...GOLDEN_CONFIG, statusIdleS: 10, statusMovingS: 2 });
    expect(t.pass(status(t0 + 3_000))).toBe(false); // idle: 10 s since the last one sent
    expect(t.pass(status(t0 + 12_000))).toBe(true);
    expect(t.pass(status(t0 + 12_500, { carDoor: 'opening' }))).toBe(true); // door changed
    expect(t.pass(status(t0 + 13_000, { carDoor: 'opening' }))).toBe(false);
    expect(t.pass(status(t0 + 14_000, { direction: 'up', speedMps: 1 }))).toBe(true); // starts moving
    expect(t.pass(status(t0 + 15_000, { direction: 'up', speedMps: 1.7 }))).toBe(false);
    expect(t.pass(status(t0 + 16_000, { direction: 'up', speedMps: 1.7 }))).toBe(true); // 2 s while moving
    expect(t.pass({ stream: 'door', record: {} })).toBe(true); // events always pass
    expect(t.skipped()).toBe(3);
  });
});
