import { describe, expect, it } from 'vitest';
import { liftTopic, liftTopicFilter, parseTopic, STREAM_NAMES } from '../src/index.js';

describe('topics', () => {
  it('round-trips every stream for several lift ids', () => {
    for (const liftId of ['L1', 'LW-DEMO-0001', '31103301002015120001', 'a.b_c-d']) {
      for (const stream of STREAM_NAMES) {
        expect(parseTopic(liftTopic(liftId, stream))).toEqual({ ok: true, liftId, stream });
      }
    }
  });

  it('builds wildcard filters', () => {
    expect(liftTopicFilter()).toBe('lift/v1/+/+');
    expect(liftTopicFilter({ stream: 'status' })).toBe('lift/v1/+/status');
    expect(liftTopicFilter({ liftId: 'L1' })).toBe('lift/v1/L1/+');
  });

  it('refuses to build a topic for a lift id that would break the topic tree', () => {
    for (const bad of ['', 'a/b', 'a+b', '#', 'has space', 'x'.repeat(65)]) {
      expect(() => liftTopic(bad, 'status')).toThrow(/lift id/);
    }
  });

  it('returns a reason for foreign and malformed topics and never throws', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['home/kitchen', /not a liftwatch topic/],
      ['lift/v2/L1/status', /version "v2"/],
      ['lift/v1/L1', /3 levels/],
      ['lift/v1/L1/status/extra', /5 levels/],
      ['lift/v1/L1/telemetry', /stream "telemetry" is unknown/],
      ['lift/v1//status', /lift id ""/],
      ['lift/v1/+/status', /lift id "\+"/],
      ['lift/' + 'x'.repeat(300), /at most 256/],
    ];
    for (const [topic, reason] of cases) {
      const parsed = parseTopic(topic);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    }
    expect(parseTopic(undefined as unknown as string)).toMatchObject({ ok: false });
  });
});

describe('parseTopic on a well-formed topic and its near misses', () => {
  it('takes the lift and stream of lift/v1/{liftId}/{stream} and names what is wrong in each near miss', () => {
    expect(parseTopic('lift/v1/L-1.a_b/status')).toEqual({ ok: true, liftId: 'L-1.a_b', stream: 'status' });
    const reasons = ['lift/v1/L-1/status/', 'lift/v1//status', 'lift/v1/L-1/', 'lift/v1/L-1/statuses', 'lift/v1/L 1/status', 'lift/v1/L-1', `lift/v1/${'L'.repeat(300)}/status`, 'lift/v2/L-1/status']
      .map((t) => parseTopic(t)).map((p) => (p.ok ? 'ok' : p.reason));
    expect(reasons).toEqual([
      expect.stringContaining('has 5 levels'), expect.stringContaining('lift id ""'), expect.stringContaining('stream ""'), expect.stringContaining('stream "statuses" is unknown'),
      expect.stringContaining('lift id "L 1"'), expect.stringContaining('has 3 levels'), expect.stringContaining('at most 256'), expect.stringContaining('has version "v2"'),
    ]);
  });
});
