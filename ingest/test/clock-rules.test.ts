import { describe, expect, it } from 'vitest';
import { GOLDEN, type LiftRecord, type StatusRecord } from '@liftwatch/contract';
import { createDetector, type Detection, type ServerTime } from '../src/index.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const raised = (ds: Detection[]) => ds.filter((d) => d.action === 'raise').map((d) => d.code);
/** The safety codes raised, leaving out Q02 (a clock set 1 h off raises it, as it should: tested below). */
const safety = (ds: Detection[]) => raised(ds).filter((c) => c !== 'Q02');
const cleared = (ds: Detection[]) => ds.filter((d) => d.action === 'clear').map((d) => d.code);
const reasonOf = (ds: Detection[], code: string) => (ds.find((d) => d.action === 'raise' && d.code === code) as Extract<Detection, { action: 'raise' }> | undefined)?.reason;

/**
 * One terminal sending a status every 5 s of real time. `skewMs` is how far its clock is off at the
 * moment; the server's wall clock is right and its monotonic clock starts elsewhere (as in a process).
 */
function terminal(over: { entrapmentS?: number } = {}) {
  const d = createDetector({ entrapmentS: over.entrapmentS ?? 60 });
  let seq = 1000;
  let skewMs = 0;
  let realMs = 0;
  const at = (): ServerTime => ({ wall: T0 + realMs, mono: 50_000 + realMs });
  const record = (over: Partial<StatusRecord>): LiftRecord => ({
    stream: 'status',
    record: { ...GOLDEN.status, seq: ++seq, ts: T0 + realMs + skewMs, speedMps: 0, direction: 'none', floor: 4, doorZone: true, carDoor: 'open', passengersPresent: false, finalLimitUp: false, finalLimitDown: false, ...over },
  });
  return {
    d, at,
    /** Real seconds since the start. */
    get s() { return realMs / 1000; },
    setClock: (ms: number) => { skewMs = ms; },
    /** Advances real time to `s` and sends one status there. */
    send: (s: number, over: Partial<StatusRecord>) => {
      realMs = s * 1000;
      return d.onRecord(record(over), at());
    },
    sweep: (s: number) => {
      realMs = s * 1000;
      return d.sweep(at());
    },
  };
}

const trapped: Partial<StatusRecord> = { carDoor: 'locked', passengersPresent: true, doorZone: false };
const openMoving: Partial<StatusRecord> = { carDoor: 'open', speedMps: 0.8, direction: 'up', doorZone: false };

describe('the safety rules time on the server\'s clock, whatever the device clock does', () => {
  for (const jump of [HOUR, -HOUR]) {
    it(`an entrapment with the device clock set ${jump > 0 ? 'forward' : 'back'} 1 h in its middle raises E01 at 60 s, not before`, () => {
      const t = terminal();
      const out: Detection[] = [];
      for (let s = 0; s <= 25; s += 5) out.push(...t.send(s, trapped));
      t.setClock(jump);
      for (let s = 30; s < 60; s += 5) out.push(...t.send(s, trapped), ...t.sweep(s + 1));
      expect(safety(out)).toEqual([]);
      const due = t.send(60, trapped);
      expect(safety(due)).toEqual(['E01']);
      expect(reasonOf(due, 'E01')).toMatch(/for 60 s since/);
    });
  }

  it('an entrapment that starts while the device clock is behind its old time raises E01 (74 s trapped)', () => {
    const t = terminal();
    t.send(0, { carDoor: 'open' });
    t.setClock(-HOUR);
    const out: Detection[] = [];
    for (let s = 5; s <= 79; s += 2) out.push(...t.send(s, trapped));
    expect(raised(out)).toEqual(['E01']);
  });

  it('a car whose doors open during an entrapment, after the clock was set back, is not reported trapped', () => {
    const t = terminal();
    for (let s = 0; s <= 20; s += 5) t.send(s, trapped);
    t.setClock(-HOUR);
    const out = [...t.send(25, trapped), ...t.send(40, { carDoor: 'open', passengersPresent: true })];
    for (let s = 45; s <= 120; s += 5) out.push(...t.send(s, { carDoor: 'open', passengersPresent: true }), ...t.sweep(s + 1));
    expect(raised(out)).toEqual([]);
  });

  for (const jump of [HOUR, -HOUR]) {
    it(`a car moving with its door open, the device clock set ${jump > 0 ? 'forward' : 'back'} 1 h in the middle: one E02, cleared when the door shuts`, () => {
      const t = terminal();
      const out = [...t.send(0, { carDoor: 'closed' }), ...t.send(5, openMoving)];
      t.setClock(jump);
      out.push(...t.send(10, openMoving), ...t.send(15, openMoving));
      expect(safety(out)).toEqual(['E02']);
      expect(cleared(t.send(20, { carDoor: 'locked', speedMps: 0.8, direction: 'up', doorZone: false }))).toEqual(['E02']);
    });
  }

  it('after the clock was set back, a car that starts moving with its door open raises E02', () => {
    const t = terminal();
    t.send(0, { carDoor: 'closed' });
    t.setClock(-HOUR);
    expect(raised(t.send(5, openMoving))).toEqual(['E02']);
  });

  it('a record stamped 2099 does not stop the rules: the next status with a higher seq is newer', () => {
    const t = terminal();
    t.send(0, { carDoor: 'closed' });
    t.setClock(Date.UTC(2099, 0, 1) - T0);
    expect(raised(t.send(5, { carDoor: 'closed' }))).toEqual(['Q02']);
    t.setClock(0);
    expect(raised(t.send(10, openMoving))).toEqual(['E02']);
  });

  it('a status made before the last one (lower seq, earlier time), received late, does not rewind the rules', () => {
    const t = terminal();
    t.send(0, openMoving);
    const late: LiftRecord = { stream: 'status', record: { ...GOLDEN.status, seq: 5, ts: T0 - 10_000, speedMps: 0, doorZone: true, carDoor: 'closed', passengersPresent: false, finalLimitUp: false, finalLimitDown: false } };
    expect(t.d.onRecord(late, t.at())).toEqual([]);
    expect(cleared(t.send(10, { carDoor: 'closed', speedMps: 0 }))).toEqual(['E02']);
  });
});

describe('Q02: a terminal clock that is off reaches its crew', () => {
  it('ahead by more than the bound: raised at once, with the offset and what to do; cleared when back within half the bound', () => {
    const t = terminal();
    t.setClock(10 * 60_000);
    const out = t.send(0, { carDoor: 'closed' });
    expect(raised(out)).toEqual(['Q02']);
    expect(reasonOf(out, 'Q02')).toMatch(/Terminal clock ahead of the server's by 600 s .* set the terminal's time source \(NTP\); its records more than 300 s ahead are refused/);
    expect(raised(t.send(5, { carDoor: 'closed' }))).toEqual([]); // once per episode
    t.setClock(90_000);
    expect(cleared(t.send(10, { carDoor: 'closed' }))).toEqual([]); // within the bound, not within half of it
    t.setClock(2_000);
    expect(cleared(t.send(15, { carDoor: 'closed' }))).toEqual(['Q02']);
  });

  it('behind by 1 h: raised once every record for 10 min has said so while the device kept pace', () => {
    const t = terminal();
    t.setClock(-HOUR);
    const out: Detection[] = [];
    for (let s = 0; s < 600; s += 30) out.push(...t.send(s, { carDoor: 'closed' }));
    expect(raised(out)).toEqual([]);
    const due = t.send(600, { carDoor: 'closed' });
    expect(raised(due)).toEqual(['Q02']);
    expect(reasonOf(due, 'Q02')).toMatch(/behind the server's by 3600 s/);
  });

  it('a backlog sent after a day offline is old, not wrong: no Q02 while it catches up, nor after', () => {
    const t = terminal();
    const out: Detection[] = [];
    // 2,000 statuses made over the last day arrive over 15 min of real time, then live ones.
    for (let i = 0; i < 2000; i++) {
      t.setClock(-24 * HOUR + i * 43_200); // device time runs 97 × faster than real time: the backlog of a day + 15 min
      out.push(...t.send(i * 0.45, { carDoor: 'closed' }));
    }
    t.setClock(0);
    for (let s = 900; s <= 1800; s += 30) out.push(...t.send(s, { carDoor: 'closed' }));
    expect(raised(out)).toEqual([]);
  });
});

describe('a restart in the middle of an entrapment', () => {
  it('raises E01 60 s after the car stopped, the downtime counted once the terminal confirms', () => {
    const first = terminal();
    for (let s = 0; s <= 30; s += 5) first.send(s, trapped);
    const saved = first.d.snapshot(undefined, first.at());
    // Down from 30 s to 38 s of real time; the new process's monotonic clock starts near 0.
    const second = createDetector({ entrapmentS: 60 });
    const at = (s: number): ServerTime => ({ wall: T0 + s * 1000, mono: 7 + (s - 38) * 1000 });
    second.restore(saved, at(38));
    const record = (s: number, seq: number): LiftRecord => ({ stream: 'status', record: { ...GOLDEN.status, ...trapped, seq, ts: T0 + s * 1000, speedMps: 0, direction: 'none', floor: 4, finalLimitUp: false, finalLimitDown: false } as StatusRecord });
    expect(second.sweep(at(39))).toEqual([]);
    expect(raised(second.onRecord(record(40, 2000), at(40)))).toEqual([]);
    expect(raised(second.onRecord(record(55, 2001), at(55)))).toEqual([]);
    const due = second.onRecord(record(60, 2002), at(60));
    expect(raised(due)).toEqual(['E01']);
    expect(reasonOf(due, 'E01')).toMatch(/for 60 s since/);
  });

  it('a terminal silent since the restart raises E01 by the sweep without counting the downtime, which nothing confirmed', () => {
    const first = terminal();
    for (let s = 0; s <= 30; s += 5) first.send(s, trapped);
    const saved = first.d.snapshot(undefined, first.at());
    const second = createDetector({ entrapmentS: 60 });
    const at = (s: number): ServerTime => ({ wall: T0 + s * 1000, mono: (s - 100) * 1000 });
    second.restore(saved, at(100)); // down for 70 s
    expect(second.sweep(at(129))).toEqual([]);
    expect(raised(second.sweep(at(130)))).toEqual(['E01']);
  });
});
