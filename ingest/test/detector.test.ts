import { describe, expect, it } from 'vitest';
import { GOLDEN, type LiftRecord, type StatusRecord } from '@liftwatch/contract';
import { createLiftSim, P1_KINDS, type P1Kind } from '@liftwatch/simulator';
import { createDetector, type Detection, type ServerTime } from '../src/index.js';

const T0 = 1_780_000_000_000;
/** The server's clocks at `ms` (wall and monotonic together: these tests do not set either back). */
const at = (ms: number): ServerTime => ({ wall: ms, mono: ms });
let seq = 0;
const status = (over: Partial<StatusRecord> = {}): LiftRecord => ({
  stream: 'status',
  record: { ...GOLDEN.status, seq: seq++, ts: T0 + seq * 1000, speedMps: 0, direction: 'none', doorZone: true, carDoor: 'locked', passengersPresent: false, finalLimitUp: false, finalLimitDown: false, ...over },
});
const raised = (ds: Detection[]) => ds.filter((d) => d.action === 'raise').map((d) => d.code);
const registry: LiftRecord = { stream: 'registry', record: { ...GOLDEN.registry, ratedSpeedMps: 1.75 } };

describe('status rules', () => {
  it('E03 when the door opens while running, with the record before as evidence', () => {
    const d = createDetector();
    d.onRecord(status({ speedMps: 1.7, doorZone: false }), at(T0));
    const out = d.onRecord(status({ speedMps: 1.6, doorZone: false, carDoor: 'opening' }), at(T0));
    expect(raised(out)).toEqual(['E03']);
    const r = out[0] as Extract<Detection, { action: 'raise' }>;
    expect(r.reason).toMatch(/Door opened while running/);
    expect(r.evidence.values).toMatchObject({ carDoor: 'opening', previousCarDoor: 'locked' });
  });

  it('E02 when the car starts to move with the door open outside the zone, once per episode', () => {
    const d = createDetector();
    d.onRecord(status({ carDoor: 'open' }), at(T0));
    expect(raised(d.onRecord(status({ speedMps: -0.2, carDoor: 'open', doorZone: false }), at(T0)))).toEqual(['E02']);
    expect(raised(d.onRecord(status({ speedMps: -0.3, carDoor: 'open', doorZone: false }), at(T0)))).toEqual([]);
    const cleared = d.onRecord(status({ carDoor: 'open' }), at(T0));
    expect(cleared).toEqual([expect.objectContaining({ action: 'clear', code: 'E02' })]);
  });

  it('a condition open on one lift is open on that lift only (lifts without one share an empty set of them)', () => {
    const d = createDetector();
    const on = (liftId: string, over: Partial<StatusRecord>) => d.onRecord({ stream: 'status', record: { ...status(over).record as StatusRecord, liftId } }, at(T0));
    on('L-A', { carDoor: 'open' });
    on('L-B', { carDoor: 'open' });
    expect(raised(on('L-A', { speedMps: -0.2, carDoor: 'open', doorZone: false }))).toEqual(['E02']);
    // L-B's first open door while moving raises too: L-A's open condition is not L-B's.
    expect(raised(on('L-B', { speedMps: -0.2, carDoor: 'open', doorZone: false }))).toEqual(['E02']);
    expect(d.snapshot(['L-A', 'L-B'], at(T0)).map(([id, s]) => [id, s.active])).toEqual([['L-A', [['doorOpenMoving', 'E02']]], ['L-B', [['doorOpenMoving', 'E02']]]]);
    on('L-A', { carDoor: 'open' });
    expect(d.snapshot(['L-A', 'L-B'], at(T0)).map(([id, s]) => [id, s.active.length])).toEqual([['L-A', 0], ['L-B', 1]]);
  });

  it('keeps of the newest status what the rules compare (a rear door it leaves out gone), and a saved state unchanged by later statuses', () => {
    const d = createDetector();
    const compared = (r: StatusRecord) => ({ liftId: r.liftId, ts: r.ts, seq: r.seq, speedMps: r.speedMps, carDoor: r.carDoor, ...(r.carDoorB === undefined ? {} : { carDoorB: r.carDoorB }) });
    const first = status({ carDoorB: 'closed', posMm: 1200 }).record as StatusRecord;
    d.onRecord({ stream: 'status', record: first }, at(T0));
    const saved = d.snapshot([GOLDEN.status.liftId], at(T0))[0]![1];
    expect(saved.last).toStrictEqual(compared(first));
    const { carDoorB: _gone, ...noRearDoor } = status({ seq: first.seq + 1, speedMps: 0.4 }).record as StatusRecord;
    d.onRecord({ stream: 'status', record: noRearDoor }, at(T0));
    expect(d.snapshot([GOLDEN.status.liftId], at(T0))[0]![1].last).toStrictEqual(compared(noRearDoor));
    expect(saved.last).toStrictEqual(compared(first)); // a copy: the memory's own object changed since
  });

  it('takes what the rules compare from a saved state of an older version, which held the whole status', () => {
    const d = createDetector();
    const old = status({ speedMps: 1.2, carDoor: 'closed' }).record as StatusRecord;
    d.restore([[old.liftId, { last: old, active: [] }]], at(T0));
    expect(d.snapshot([old.liftId], at(T0))[0]![1].last).toStrictEqual({ liftId: old.liftId, ts: old.ts, seq: old.seq, speedMps: 1.2, carDoor: 'closed' });
    // E03: the door opens while running, compared with the restored status
    expect(raised(d.onRecord(status({ seq: old.seq + 1, speedMps: 1.1, carDoor: 'open', doorZone: false }), at(T0)))).toEqual(['E03']);
  });

  it('no door alert inside the door zone (advance opening, re-levelling) or in inspection mode', () => {
    const d = createDetector();
    expect(raised(d.onRecord(status({ speedMps: 0.1, carDoor: 'opening', doorZone: true }), at(T0)))).toEqual([]);
    expect(raised(d.onRecord(status({ speedMps: 0.3, carDoor: 'open', doorZone: false, serviceMode: 'inspection' }), at(T0)))).toEqual([]);
  });

  it('E04 only above 1.15 × the rated speed from the registry', () => {
    const d = createDetector();
    expect(raised(d.onRecord(status({ speedMps: 2.1, doorZone: false }), at(T0)))).toEqual([]); // rated speed unknown
    d.onRecord(registry, at(T0));
    expect(raised(d.onRecord(status({ speedMps: 2.0, doorZone: false }), at(T0)))).toEqual([]); // 2.0 < 2.0125
    expect(raised(d.onRecord(status({ speedMps: -2.05, doorZone: false }), at(T0)))).toEqual(['E04']);
  });

  it('E05 at the top and at the bottom', () => {
    const d = createDetector();
    expect(raised(d.onRecord(status({ finalLimitUp: true }), at(T0)))).toEqual(['E05']);
    expect(raised(d.onRecord(status({ finalLimitUp: true, finalLimitDown: true }), at(T0)))).toEqual(['E05']);
  });

  it('E01 after the entrapment time by the server\'s clock, not before, and clears when the doors open', () => {
    const d = createDetector({ entrapmentS: 60 });
    const trapped = { passengersPresent: true, doorZone: false, floor: 6 };
    const t = T0 + 1_000_000;
    const still = (s: number) => ({ ...status(trapped).record, ts: t + s * 1000 }) as StatusRecord;
    const after = (s: number) => at(t + s * 1000 + 150); // received 150 ms after the device made it
    expect(raised(d.onRecord({ stream: 'status', record: still(0) }, after(0)))).toEqual([]);
    expect(raised(d.onRecord({ stream: 'status', record: still(50) }, after(50)))).toEqual([]);
    const out = d.onRecord({ stream: 'status', record: still(61) }, after(61));
    expect(raised(out)).toEqual(['E01']);
    expect((out[0] as Extract<Detection, { action: 'raise' }>).reason).toMatch(/Passengers trapped.*61 s/);
    expect(raised(d.onRecord({ stream: 'status', record: still(70) }, after(70)))).toEqual([]);
    expect(d.onRecord({ stream: 'status', record: { ...still(80), carDoor: 'open' } }, after(80))).toEqual([expect.objectContaining({ action: 'clear', code: 'E01' })]);
  });

  it('a backlog of device time that arrives at once is not an entrapment: the server\'s clock has not run', () => {
    const d = createDetector({ entrapmentS: 60 });
    for (let s = 0; s <= 120; s += 10) expect(raised(d.onRecord({ stream: 'status', record: { ...status({ passengersPresent: true }).record, ts: T0 + s * 1000 } as StatusRecord }, at(T0 + 121_000)))).toEqual([]);
  });

  it('E01 by the sweep when the terminal goes silent with passengers inside', () => {
    const d = createDetector({ entrapmentS: 60 });
    d.onRecord(status({ passengersPresent: true }), at(T0));
    d.onRecord(status({ passengersPresent: true }), at(T0 + 5_000));
    expect(d.sweep(at(T0 + 59_000))).toEqual([]);
    const out = d.sweep(at(T0 + 61_000));
    expect(raised(out)).toEqual(['E01']);
    expect((out[0] as Extract<Detection, { action: 'raise' }>).reason).toMatch(/no status from the terminal for the last 56 s/);
    expect(d.sweep(at(T0 + 70_000))).toEqual([]);
  });

  it('an out-of-order status does not rewind the state', () => {
    const d = createDetector();
    const moving = status({ speedMps: 1.5, doorZone: false });
    d.onRecord(moving, at(T0));
    // Made before it (lower seq, earlier device time), received after it.
    const late = { ...status({ speedMps: 0, carDoor: 'open' }).record, seq: moving.record.seq - 1, ts: moving.record.ts - 1000 } as StatusRecord;
    expect(d.onRecord({ stream: 'status', record: late }, at(T0))).toEqual([]);
    expect(raised(d.onRecord(status({ speedMps: 1.5, doorZone: false, carDoor: 'open' }), at(T0)))).toEqual(['E03']);
  });
});

describe('event rules', () => {
  it('a raised fault opens its code; a P4 code does not; a cleared fault clears', () => {
    const d = createDetector();
    expect(raised(d.onRecord({ stream: 'fault', record: { ...GOLDEN.fault, code: 'E07' } }, at(T0)))).toEqual(['E07']);
    expect(raised(d.onRecord({ stream: 'fault', record: { ...GOLDEN.fault, code: 'U04' } }, at(T0)))).toEqual([]);
    expect(d.onRecord({ stream: 'fault', record: { ...GOLDEN.fault, state: 'cleared' } }, at(T0))).toEqual([expect.objectContaining({ action: 'clear', code: 'E01' })]);
  });

  it('an alarm button opens E01; creep after stop opens E02', () => {
    const d = createDetector();
    expect(raised(d.onRecord({ stream: 'alarm', record: GOLDEN.alarm }, at(T0)))).toEqual(['E01']);
    expect(raised(d.onRecord({ stream: 'trip', record: { ...GOLDEN.trip, creepAfterStopMm: 40 } }, at(T0)))).toEqual([]);
    expect(raised(d.onRecord({ stream: 'trip', record: { ...GOLDEN.trip, creepAfterStopMm: 120 } }, at(T0)))).toEqual(['E02']);
  });
});

describe('the simulator\'s P1 events are caught', () => {
  const expected: Record<P1Kind, string> = { entrapment: 'E01', overspeed: 'E04', doorOpenWhileRunning: 'E03', overtravelTop: 'E05', unintendedMovement: 'E02' };
  for (const kind of P1_KINDS) {
    it(`${kind} → ${expected[kind]}`, () => {
      const start = Date.UTC(2026, 10, 2, 1, 0, 0);
      const sim = createLiftSim({ liftId: 'SIM-P1', seed: 42, startMs: start, floors: 18 });
      const d = createDetector();
      const codes = new Set<string>();
      let injected = false;
      for (let t = start; t < start + 20 * 60_000; t += 1000) {
        if (!injected && t >= start + 60_000) {
          sim.injectP1(kind);
          injected = true;
        }
        for (const r of sim.advanceTo(t)) for (const c of raised(d.onRecord(r, at(t)))) codes.add(c);
        if (!injected) expect(codes, 'no alert before the injection').toEqual(new Set());
      }
      expect([...codes]).toContain(expected[kind]);
    });
  }
});

describe('a healthy fleet raises nothing', () => {
  it('five simulated lifts for a day each: no alert', { timeout: 60_000 }, () => {
    for (let seed = 1; seed <= 5; seed++) {
      const start = Date.UTC(2026, 10, 2, 16, 0, 0); // local midnight
      const sim = createLiftSim({ liftId: `SIM-H${seed}`, seed, startMs: start });
      const d = createDetector();
      const codes: string[] = [];
      for (let t = start; t <= start + 24 * 3_600_000; t += 5_000) {
        for (const r of sim.advanceTo(t)) codes.push(...raised(d.onRecord(r, at(t))));
        codes.push(...raised(d.sweep(at(t))));
      }
      expect(codes, `seed ${seed}`).toEqual([]);
    }
  });
});
