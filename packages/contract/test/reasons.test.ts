import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, REASON_KEYS, reasonIn } from '../src/index.js';
import { REASON_WORDS } from '../src/reason-words.js';

// Every reason a person reads is a key of the catalogue with a sentence in each language. These
// values are what the rules and the health score give for each key.
const VALUES: Record<string, Record<string, unknown>> = {
  'fault.reported': { code: 'E09', nameZh: '门保护故障', nameEn: 'Door protection fault', detector: 'controller', floor: 5, detail: 'light curtain' },
  'alarm.raised': { kind: 'button', floor: 3 },
  'trip.creep': { creepMm: 120, floor: 4, limitMm: 50, brakeDropMs: 310 },
  'status.doorMoving': { speedMps: 0.8, carDoor: 'open', floor: 7, doorZone: false },
  'status.doorOpenedRunning': { speedMps: 1.6, carDoor: 'opening', floor: 7, doorZone: false, previousSeq: 41, previousSpeedMps: 1.7 },
  'status.overspeed': { speedMps: 2.3, floor: 9, doorZone: false, factor: 1.15, ratedSpeedMps: 1.75, limitMps: 2.0125 },
  'status.overtravelTop': { floor: 20, speedMps: 0.1 },
  'status.overtravelBottom': { floor: 1, speedMps: 0.1 },
  'status.entrapment': { carDoor: 'locked', floor: 6, doorZone: false, stillForS: 70, ruleS: 60, silentS: 0 },
  'clock.ahead': { offsetS: 960, ruleS: 300, refused: true, maxAheadS: 600 },
  'clock.behind': { offsetS: 960, ruleS: 300 },
  predicted: { modelId: 'door-system', version: '2.0.0', family: 'doorSystem', score: 0.8123, outside: 2 },
  'predicted.rule': { modelId: 'brake', version: '3.0.0', family: 'brake', score: 0.04, outside: 1, ruleScore: 0.91, over: 2 },
  S1: { events: 3, days: 90, weight: 1.72 },
  S2: { entrapments: 1, days: 90, downtimeH: 4.5 },
  S3: { closeP95S: 7.1, closeLimitS: 4, closeDriftPct: 95, reopenPct: 12.5, lockDriftPct: 30, e09: 4, days: 14 },
  S4: { a95Pct: 85, stopErrMm: 6.2 },
  S5: { brakeDriftPct: 22, relevelsPer100: 3.1, slipMm: 4.2, tempExcessC: 6.5, windingMaxC: 88 },
  S6: { visits: 2, daysSinceVisit: 21.4, cycleDays: 15, lateDays: 6.4, e18: 0 },
  'S6.noVisits': { e18: 1 },
  'cap.activeP1': { codes: 'E01, E03', count: 2 },
  'cap.severe7d': { codes: 'E02' },
  'cap.severe30d': { codes: 'E05' },
  'cap.chainOpens': { count: 5 },
  'cap.maintenanceOverdue': { lateDays: 20 },
  'cap.alarmSystem': {},
  'cap.doorLimit': { closeP95S: 9.2, limitS: 4 },
  'cap.rideLimit': { a95Pct: 160 },
};
const CJK = /[\u4e00-\u9fff]/;

/** Keys the code gives with a reason: `reasonKey: '…'` of the rules and models, `key: '…'` of the health score. */
function keysInSources(): string[] {
  const root = join(import.meta.dirname, '../../..');
  const dirs = ['ingest/src/detect', 'models/src/health', 'models/src/serving'];
  const keys = new Set<string>();
  for (const dir of dirs) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(root, dir, f), 'utf8');
      for (const m of src.matchAll(/\b(?:reasonKey|key): (?:[^,}]*\? )?'([A-Za-z0-9.]+)'(?: : '([A-Za-z0-9.]+)')?/g)) {
        keys.add(m[1]!);
        if (m[2]) keys.add(m[2]);
      }
    }
  }
  return [...keys].sort();
}

describe('the reason catalogue', () => {
  it('has a sentence in every language for every key, filled from its values', () => {
    expect(Object.keys(VALUES).sort()).toEqual([...REASON_KEYS].sort());
    for (const key of REASON_KEYS) {
      for (const language of LANGUAGES) {
        expect(typeof REASON_WORDS[key]?.[language], `${key} has no ${language} sentence`).toBe('function');
        const text = reasonIn(language, { text: 'English fallback', key, params: VALUES[key] });
        expect(text, `${key} in ${language}`).not.toBe('English fallback');
        expect(text, `${key} in ${language}: ${text}`).not.toMatch(/undefined|NaN|\[object|\?/);
        if (language === 'en') expect(text, `${key} in English: ${text}`).not.toMatch(CJK);
        else expect(text, `${key} in Chinese: ${text}`).toMatch(CJK);
      }
    }
  });

  it('knows every key the rules, the models and the health score give', () => {
    const used = keysInSources();
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((k) => !REASON_KEYS.includes(k)), 'keys given without a sentence in the catalogue').toEqual([]);
  });

  it('renders the sentence of the language asked for, and the English text for a key it does not know', () => {
    const reason = { text: 'active P1: E01', key: 'cap.activeP1', params: { codes: 'E01', count: 1 } };
    expect(reasonIn('zh-CN', reason)).toBe('存在未关闭的 P1 告警：E01');
    expect(reasonIn('en', reason)).toBe('active P1: E01');
    expect(reasonIn('en-GB', reason)).toBe('active P1: E01');
    expect(reasonIn('zh-CN', { text: 'Something new', key: 'rule.fromTheFuture', params: {} })).toBe('Something new');
  });
});

describe('predicted alert reasons in English', () => {
  it('agree in number with the count of precursors and readings they name', () => {
    const one = reasonIn('en', { text: '', key: 'predicted.rule', params: { ...VALUES['predicted.rule'], over: 1 } });
    expect(one).toContain('1 reading over its limit (');
    expect(reasonIn('en', { text: '', key: 'predicted.rule', params: { ...VALUES['predicted.rule'], over: 3 } })).toContain('3 readings over their limits (');
    expect(reasonIn('en', { text: '', key: 'predicted', params: { ...VALUES['predicted'], outside: 1 } })).toContain('; 1 precursor outside the lift\'s normal band');
    expect(reasonIn('en', { text: '', key: 'predicted', params: { ...VALUES['predicted'], outside: 2 } })).toContain('; 2 precursors outside the lift\'s normal band');
    expect(reasonIn('en', { text: '', key: 'predicted', params: { ...VALUES['predicted'], outside: 0 } })).toContain('; precursors within the lift\'s normal band');
  });
});
