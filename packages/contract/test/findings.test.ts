import { describe, expect, it } from 'vitest';
import {
  componentOfCode, FAULT_CODES, FINDING_COMPONENTS, findingFamily, findingOfMove, findingProblem, labelOf, precisionReport, wilsonInterval, type FindingTally,
} from '../src/index.js';

const d01 = { id: 7, code: 'D01', severity: 'P3' as const };
const p1 = { id: 8, code: 'E01', severity: 'P1' as const };

describe('findings: what goes with closing an alert', () => {
  it('a resolve of anything but a P1 needs a finding; a P1 rescue and a false alarm never wait for one', () => {
    expect(findingProblem(d01, 'resolved', undefined)).toEqual({ missing: true, message: expect.stringMatching(/^alert 7 \(D01, P3\) is resolved with the crew's finding: send finding \{outcome: "confirmed" with its component/) });
    expect(findingProblem(p1, 'resolved', undefined)).toBeUndefined();
    expect(findingProblem(d01, 'falseAlarm', undefined)).toBeUndefined();
    expect(findingOfMove('falseAlarm', undefined)).toEqual({ outcome: 'false-alarm' });
    expect(findingOfMove('resolved', undefined)).toBeUndefined();
    expect(findingProblem(d01, 'acknowledged', undefined)).toBeUndefined();
  });

  it('names what is wrong with a finding: its move, its outcome, a confirmed fault without a component', () => {
    expect(findingProblem(d01, 'resolved', { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'belt' })).toBeUndefined();
    expect(findingProblem(d01, 'resolved', { outcome: 'no-fault-found' })).toBeUndefined();
    expect(findingProblem(d01, 'acknowledged', { outcome: 'confirmed', component: 'brake' })?.message).toBe('alert 7: a finding goes with resolving it or marking it a false alarm, not with moving it to acknowledged');
    expect(findingProblem(d01, 'resolved', { outcome: 'false-alarm' })?.message).toBe('alert 7: outcome "false-alarm" does not go with resolved: mark it a false alarm (action false-alarm), or give "confirmed" or "no-fault-found"');
    expect(findingProblem(d01, 'falseAlarm', { outcome: 'confirmed', component: 'brake' })?.message).toBe('alert 7: outcome "confirmed" does not go with falseAlarm: resolve it (action resolve), or give "false-alarm"');
    expect(findingProblem(p1, 'resolved', { outcome: 'confirmed' })).toEqual({ missing: false, message: expect.stringMatching(/^alert 8: a confirmed fault names its component: one of doorOperator, doorLock, /) });
  });

  it('every code a component names is in the code table, and no code points at two components', () => {
    const codes = Object.values(FINDING_COMPONENTS).flatMap((c) => c.codes as readonly string[]);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(FAULT_CODES.map((c) => c.code)).toContain(code);
    expect(componentOfCode('E09')).toBe('doorOperator');
    expect(componentOfCode('E01')).toBeUndefined();
  });

  it('a finding is about the predicted family, else the family of the component found or of its code', () => {
    expect(findingFamily({ code: 'D01', modelId: 'door-system', component: 'brake' })).toBe('door-system');
    expect(findingFamily({ code: 'E01', modelId: null, component: 'doorLock' })).toBe('door-system');
    expect(findingFamily({ code: 'E16', modelId: null, component: null })).toBe('brake');
    expect(findingFamily({ code: 'E01', modelId: null, component: 'power' })).toBeNull();
    expect(labelOf({ outcome: 'confirmed', component: 'doorLock', family: 'door-system' })).toBe(1);
    expect(labelOf({ outcome: 'confirmed', component: 'brake', family: 'door-system' })).toBe(0);
    expect(labelOf({ outcome: 'no-fault-found', component: null, family: 'door-system' })).toBe(0);
  });
});

describe('precision', () => {
  it('the Wilson interval matches published values and stays inside [0, 1]', () => {
    // Newcombe (1998), Statistics in Medicine 17:857–872, table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
    const a = wilsonInterval(81, 263)!;
    expect([a.low, a.high].map((x) => x.toFixed(4))).toEqual(['0.2553', '0.3662']);
    const b = wilsonInterval(0, 10)!;
    expect([b.low, b.high].map((x) => x.toFixed(4))).toEqual(['0.0000', '0.2775']);
    const c = wilsonInterval(1, 1)!;
    expect(c.high).toBe(1);
    expect(c.low.toFixed(4)).toBe('0.2065');
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('per model version and per rule: a model\'s fault on another family is not a hit', () => {
    const t = (over: Partial<FindingTally>): FindingTally => ({ modelId: 'door-system', modelVersion: '2', code: 'D01', outcome: 'confirmed', component: 'doorOperator', count: 1, ...over });
    const report = precisionReport([
      t({ count: 3 }), t({ component: 'brake' }), t({ outcome: 'false-alarm', component: null, count: 2 }), t({ modelVersion: '10', outcome: 'no-fault-found', component: null }),
      t({ modelVersion: '3' }), t({ modelId: null, modelVersion: null, code: 'E09', component: 'doorLock', count: 4 }), t({ modelId: null, modelVersion: null, code: 'E09', outcome: 'false-alarm', component: null }),
    ]);
    expect(report.interval).toBe('wilson-95');
    expect(report.models.map((r) => [r.modelId, r.modelVersion, r.findings, r.confirmed, r.otherFamily, r.falseAlarm, r.noFaultFound])).toEqual([
      ['door-system', '2', 6, 3, 1, 2, 0], ['door-system', '3', 1, 1, 0, 0, 0], ['door-system', '10', 1, 0, 0, 0, 1],
    ]);
    expect(report.models[0]).toMatchObject({ code: 'D01', precision: 0.5, low: wilsonInterval(3, 6)!.low, high: wilsonInterval(3, 6)!.high });
    expect(report.rules).toEqual([{ modelId: null, modelVersion: null, code: 'E09', findings: 5, confirmed: 4, otherFamily: 0, noFaultFound: 0, falseAlarm: 1, precision: 0.8, ...wilsonInterval(4, 5) }]);
    expect(precisionReport([])).toEqual({ models: [], rules: [], interval: 'wilson-95' });
  });
});
