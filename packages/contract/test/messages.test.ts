import { describe, expect, it } from 'vitest';
import { GOLDEN } from '../src/examples.js';
import { AlertJobPayloads, ChangeFeedMessage, SharedRuleStateEntry, createMessageReceiver, rejectedMessageCounts, type MessageChannel } from '../src/messages/index.js';

const alertView = {
  id: 7, liftId: 'L-1', code: 'E01', severity: 'P1', nameEn: 'Entrapment', nameZh: '困人', state: 'open', reason: 'passengers on board 30 s',
  openedAt: 1, updatedAt: 1, lastSeenAt: 1, conditionClearedAt: null, occurrences: 1,
};
const dropped = (channel: MessageChannel) => rejectedMessageCounts()[channel];

describe('messages between nodes', () => {
  it('a change feed message of each kind passes as it was sent, with fields a newer node may add', () => {
    const feed = createMessageReceiver('live-changes', ChangeFeedMessage);
    for (const change of [{ kind: 'lifts', liftIds: ['L-1', 'L-2'] }, { kind: 'alert', alert: alertView }, { kind: 'sessions', userId: 'u1' }, { kind: 'lifts', liftIds: [], since: 5 }]) {
      const text = JSON.stringify({ node: 'host:1:ab', change });
      expect(feed.parse(text)).toEqual({ ok: true, value: JSON.parse(text) });
    }
  });

  it('a message that does not match is dropped with the field and the value, counted, and logged once then one in 1,000', () => {
    const lines: string[] = [];
    const feed = createMessageReceiver('live-changes', ChangeFeedMessage, { log: (l) => lines.push(l) });
    const before = dropped('live-changes');
    const got = feed.parse(JSON.stringify({ node: 'n', change: { kind: 'alert', alert: { ...alertView, state: 'lost' } } }));
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.error).toMatchObject({ code: 'LW_ERR_MESSAGE_INVALID', retryable: false });
    expect(got.error.message).toMatch(/^a live change received through Redis does not match its schema and is dropped: live-changes\.change\.alert\.state: expected one of "open", .*got "lost"/);
    expect(dropped('live-changes')).toBe(before + 1);
    for (let i = 0; i < 1_200; i++) feed.parse('{"node":"n"}');
    expect(dropped('live-changes')).toBe(before + 1_201);
    // Logged: the first rejection of the channel in this process, and each 1,000th after it.
    const logged = Array.from({ length: 1_201 }, (_, i) => before + 1 + i).filter((n) => n === 1 || n % 1000 === 0).length;
    expect(lines).toHaveLength(logged);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^liftwatch: a live change .* dropped: live-changes\.change: is required but missing\. .* \(\d+ dropped on this node so far\)$/);
  });

  it('text that is not JSON, nests too deep or is not an object is dropped with the reason', () => {
    const feed = createMessageReceiver('live-changes', ChangeFeedMessage);
    const reason = (text: string) => { const r = feed.parse(text); return r.ok ? '' : r.error.message; };
    expect(reason('{"node":')).toMatch(/live-changes: not JSON/);
    expect(reason('['.repeat(100) + ']'.repeat(100))).toMatch(/deeper than 32 levels/);
    expect(reason('"a text"')).toMatch(/live-changes: expected a JSON object, got "a text"/);
  });

  it('each alert job kind has the payload escalation makes, and a wrong one names its field', () => {
    const deliver = createMessageReceiver('alert-jobs', AlertJobPayloads.deliver, { name: 'deliver' });
    const payload = { alertId: 3, cause: 'step0', label: 'P1: on-call crew notified at once', recipient: { id: 'p1', name: 'Wang' }, to: { kind: 'webhook', to: 'http://127.0.0.1:9/hook', secret: 's' } };
    expect(deliver.check(payload)).toEqual({ ok: true, value: payload });
    const wrong = deliver.check({ ...payload, to: { kind: 'pigeon', to: 'roof' } });
    expect(wrong.ok ? '' : wrong.error.message).toMatch(/deliver\.to\.kind: expected one of "webhook", .*got "pigeon"/);
    const escalate = createMessageReceiver('alert-jobs', AlertJobPayloads.escalate);
    expect(escalate.check({ alertId: 3, step: 1, def: { afterS: 60, unless: 'acknowledged', notify: ['backup'], label: 'not acknowledged' } }).ok).toBe(true);
    const remind = createMessageReceiver('alert-jobs', AlertJobPayloads.remind);
    expect(remind.check({ alertId: 3, n: 0, def: { everyS: 30, until: 'acknowledged', notify: ['primary'], maxCount: 60 } }).ok).toBe(false);
  });

  it('a lift\'s shared rule state passes with its entrapment timer, and one with a broken status is dropped', () => {
    const rules = createMessageReceiver('rule-state', SharedRuleStateEntry);
    const state = { ratedSpeedMps: 1.75, last: GOLDEN.status, active: [['still', 'E01']], still: { sinceTs: GOLDEN.status.ts, floor: 7, last: GOLDEN.status, fired: false, elapsedMs: 12_000, savedAt: 5 } };
    expect(rules.parse(JSON.stringify({ state, savedAt: 5, node: 'ingest-2' })).ok).toBe(true);
    const broken = rules.parse(JSON.stringify({ state: { ...state, last: { ...GOLDEN.status, speedMps: 'fast' } }, savedAt: 5, node: 'ingest-2' }));
    expect(broken.ok ? '' : broken.error.message).toMatch(/rule-state\.state\.last\.speedMps: expected number, got "fast"/);
  });

  it('a lift\'s last status in the shared rule state needs only what the rules compare (older saves hold the whole status)', () => {
    const rules = createMessageReceiver('rule-state', SharedRuleStateEntry);
    const { liftId, ts, seq, speedMps, carDoor } = GOLDEN.status;
    expect(rules.parse(JSON.stringify({ state: { last: { liftId, ts, seq, speedMps, carDoor }, active: [] }, savedAt: 5, node: 'ingest-2' })).ok).toBe(true);
    const noSpeed = rules.parse(JSON.stringify({ state: { last: { liftId, ts, seq, carDoor }, active: [] }, savedAt: 5, node: 'ingest-2' }));
    expect(noSpeed.ok ? '' : noSpeed.error.message).toMatch(/speedMps/);
  });
});
