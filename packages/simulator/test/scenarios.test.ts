import { describe, expect, it } from 'vitest';
import { decodeMessage, liftTopic, type AlarmRecord } from '@liftwatch/contract';
import { loadScenario, parseScenario, scenarioNames } from '../src/scenario.js';
import { firstRaise, precursorChange, runScenarioLift } from './scenario-run.js';

const NAMED = ['healthy-baseline', 'door-wear-to-failure', 'landing-lock-intermittency', 'roller-flat-spot', 'brake-spring-fatigue-ucm', 'rope-stretch-relevels', 'summer-machine-room-overheating', 'evening-power-outage', 'terminal-flapping-offline'];
const FAULTED = ['door-wear-to-failure', 'landing-lock-intermittency', 'roller-flat-spot', 'brake-spring-fatigue-ucm', 'rope-stretch-relevels', 'summer-machine-room-overheating'];

describe('scenario files', () => {
  it('the nine named scenarios exist and validate', () => {
    expect(scenarioNames()).toEqual(expect.arrayContaining(NAMED));
    for (const name of scenarioNames()) expect(loadScenario(name).name).toBe(name);
  });

  it('a wrong scenario is refused with the field and what to do', () => {
    const bad = { ...loadScenario('door-wear-to-failure'), faults: [{ id: 'x', kind: 'doorFrictionWaer', onsetDay: 1, law: { type: 'step' } }] };
    expect(() => parseScenario(JSON.stringify(bad), 'bad.json')).toThrow(/LW_ERR_SCENARIO_INVALID|bad\.json: \/faults\/0\/kind/);
    expect(() => parseScenario('{', 'broken.json')).toThrow(/broken\.json is not JSON/);
    expect(() => loadScenario('no-such')).toThrow(/No scenario named "no-such"; known: .*door-wear-to-failure/);
  });
});

describe('each fault shows its documented precursor in the emitted records before its code fires', () => {
  for (const name of FAULTED) {
    it(name, () => {
      const s = loadScenario(name);
      const { records, truth } = runScenarioLift(s, 1, 0, s.days, true);
      const firsts = s.expect.codes.map((c) => firstRaise(records, c));
      firsts.forEach((f, i) => expect(f, `${name}: ${s.expect.codes[i]} never raised`).toBeDefined());
      for (let i = 1; i < firsts.length; i++) expect(firsts[i]!.record.ts).toBeGreaterThan(firsts[i - 1]!.record.ts); // codes in the promised order
      const first = firsts[0]!;
      for (const p of s.expect.precursors) {
        const c = precursorChange(records, p, first.record.ts);
        expect(c.ok, `${name}: ${p.stream}.${p.field} ${p.direction} by ≥ ${p.minChange}: early ${c.early.toFixed(3)}, late ${c.late.toFixed(3)} (change ${c.change.toFixed(3)})`).toBe(true);
      }
      // Records pass the contract also late in the degradation: all fault records and every 50th of the rest.
      records.forEach((r, i) => {
        if (r.stream === 'fault' || i % 50 === 0) expect(decodeMessage(liftTopic(r.record.liftId, r.stream), Buffer.from(JSON.stringify(r.record))).rejections, JSON.stringify(r.record)).toEqual([]);
      });
      // No code of the scenario before its fault's onset: it comes from the physics of the fault.
      const onset = Date.parse(s.start) + Math.min(...s.faults.map((f) => f.onsetDay)) * 86_400_000;
      expect(records.filter((r) => r.stream === 'fault' && r.record.ts < onset)).toEqual([]);
      // Ground truth names the injected fault as the cause of the first code, and a health below 1 before it.
      const cause = truth.find((t) => t.type === 'cause' && t.seq === first.record.seq);
      expect(cause).toMatchObject({ code: s.expect.codes[0] });
      expect(cause?.type === 'cause' && cause.faultIds.length).toBeGreaterThan(0);
      for (const id of cause?.type === 'cause' ? cause.faultIds : []) expect(s.faults.map((f) => f.id)).toContain(id);
      const healthBefore = truth.filter((t) => t.type === 'health' && t.ts < first.record.ts).pop();
      expect(healthBefore?.type === 'health' && Math.min(...Object.values(healthBefore.health))).toBeLessThan(0.9);
    }, 60_000);
  }

  it('healthy baseline: a month raises no code at all', () => {
    const { records, truth } = runScenarioLift(loadScenario('healthy-baseline'), 3);
    expect(records.filter((r) => r.stream === 'fault')).toEqual([]);
    expect(truth.filter((t) => t.type === 'maintenance').map((t) => Math.round((t.ts - Date.parse('2026-07-01T00:00:00+08:00')) / 3_600_000))).toEqual([15 * 24 + 10]); // the 15-day visit, at 10:00
    expect(truth.filter((t) => t.type === 'failure')).toEqual([]);
  }, 60_000);

  it('evening power outage: mains lost on every lift, then entrapments with alarms and a rescue', () => {
    const s = loadScenario('evening-power-outage');
    let trapped = 0;
    let lifts = 0;
    for (let i = 0; i < (s.expect.lifts ?? 1); i++) {
      const { records } = runScenarioLift(s, 1, i);
      const e13 = firstRaise(records, 'E13');
      expect(e13, `lift ${i}`).toBeDefined();
      lifts++;
      const alarms = records.filter((r) => r.stream === 'alarm').map((r) => r.record as AlarmRecord);
      const raised = alarms.find((a) => a.state === 'raised');
      if (!raised) continue;
      trapped++;
      expect(raised.ts).toBeGreaterThan(e13!.record.ts); // the outage comes first, then the alarm button
      const ended = alarms.find((a) => a.state === 'ended');
      expect(ended!.releaseTs! - raised.ts).toBeGreaterThan(0);
      expect(raised.ts).toBeLessThanOrEqual(ended!.dispatchTs!); // occurred → dispatched → responded → arrived → released
      expect(ended!.dispatchTs!).toBeLessThanOrEqual(ended!.respondTs!);
      expect(ended!.respondTs!).toBeLessThanOrEqual(ended!.arriveTs!);
      expect(ended!.arriveTs!).toBeLessThanOrEqual(ended!.releaseTs!);
      expect(records.some((r) => r.stream === 'status' && r.record.ts >= e13!.record.ts && r.record.ts < raised.ts && r.record.passengersPresent === true && r.record.carDoor === 'locked' && r.record.speedMps === 0)).toBe(true); // trapped: doors shut, not moving
    }
    expect(lifts).toBe(s.expect.lifts);
    expect(trapped).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('every record of the outage and brake scenarios passes the contract', () => {
    for (const name of ['brake-spring-fatigue-ucm', 'evening-power-outage']) {
      const s = loadScenario(name);
      const { records } = runScenarioLift(s, 2, 0, 3);
      for (const r of records) expect(decodeMessage(liftTopic(r.record.liftId, r.stream), Buffer.from(JSON.stringify(r.record))).rejections).toEqual([]);
    }
  }, 60_000);
});
