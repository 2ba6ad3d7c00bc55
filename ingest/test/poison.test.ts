import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, MAX_LOG_LINE_CHARS, MAX_REASON_CHARS } from '@liftwatch/contract';
import { createIngest, type AlertSink, type IngestDeps } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const encode = (text: string) => new TextEncoder().encode(text);
const status = (liftId: string, seq: number) => encode(JSON.stringify({ ...GOLDEN.status, liftId, seq, ts: Date.now() }));
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function open(deps: Partial<IngestDeps> = {}) {
  const db = new Database(':memory:');
  const logs: string[] = [];
  const ingest = createIngest({ db, alerts, log: (line) => logs.push(line), ...deps });
  const dead = () => ingest.store.deadLetters({ limit: 100, offset: 0 }).reverse();
  return { db, ingest, logs, dead };
}

describe('a poison message on the publish path', () => {
  it('nested 10,000 levels deep, alone or inside a field, is a dead letter with its reason, and handle resolves (the broker acknowledges it)', async () => {
    const { ingest, dead } = open();
    const inField = JSON.stringify({ ...GOLDEN.status, liftId: 'PZ-1', seq: 1 }).replace('"floor":', `"floor":${nested(10_000)},"x":`);
    await expect(ingest.handle(liftTopic('PZ-1', 'status'), encode(nested(10_000)), 'T-PZ-1')).resolves.toBeUndefined();
    await expect(ingest.handle(liftTopic('PZ-1', 'status'), encode(inField), 'T-PZ-1')).resolves.toBeUndefined();
    await expect(ingest.handle(liftTopic('PZ-1', 'presence'), encode(`{"state":${nested(10_000)}}`), 'T-PZ-1')).resolves.toBeUndefined();
    expect(dead().map((d) => [d.code, d.reason.includes('deeper than 32 levels')])).toEqual([
      ['LW_ERR_PAYLOAD_TOO_DEEP', true], ['LW_ERR_PAYLOAD_TOO_DEEP', true], ['LW_ERR_PAYLOAD_TOO_DEEP', true],
    ]);
    expect(dead()[0]?.rawText.startsWith('[[[[')).toBe(true);
    await ingest.handle(liftTopic('PZ-1', 'status'), status('PZ-1', 2), 'T-PZ-1');
    expect(ingest.store.getLift('PZ-1', 0)?.recordsTotal).toBe(1);
    await ingest.close();
  });

  it('any other fault than the store\'s (here a shared-state port that throws) makes the message a dead letter that is acknowledged, with a bounded reason and log line', async () => {
    // A port with a bug: it throws at once instead of rejecting, with a long message.
    const broken: IngestDeps['sharedRuleState'] = {
      save: () => Promise.resolve(),
      fetch: (liftId) => { if (liftId === 'PZ-BAD') throw new RangeError(`Maximum call stack size exceeded ${'x'.repeat(50_000)}`); return Promise.resolve(undefined); },
    };
    const { ingest, dead, logs } = open({ sharedRuleState: broken });
    const payload = status('PZ-BAD', 1);
    await expect(ingest.handle(liftTopic('PZ-BAD', 'status'), payload, 'T-PZ-BAD')).resolves.toBeUndefined();
    const [letter] = dead();
    expect(letter).toMatchObject({ code: 'LW_ERR_PAYLOAD_UNPROCESSABLE', topic: 'lift/v1/PZ-BAD/status', clientId: 'T-PZ-BAD', sizeBytes: payload.byteLength });
    expect(letter?.reason).toContain('RangeError: Maximum call stack size exceeded');
    expect(letter?.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(Buffer.from(letter!.rawBase64, 'base64')).toEqual(Buffer.from(payload));
    expect(logs.some((l) => l.includes('lift/v1/PZ-BAD/status') && l.includes('LW_ERR_PAYLOAD_UNPROCESSABLE'))).toBe(true);
    for (const line of logs) expect(line.length).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
    expect(ingest.stats().rejectedByCode['LW_ERR_PAYLOAD_UNPROCESSABLE']).toBe(1);
    // Other lifts go on.
    await ingest.handle(liftTopic('PZ-OK', 'status'), status('PZ-OK', 1), 'T-PZ-OK');
    expect(ingest.store.getLift('PZ-OK', 0)?.recordsTotal).toBe(1);
    await ingest.close();
  });

  it('a store failure still rejects, so the message is not acknowledged and the terminal sends it again', async () => {
    const { db, ingest } = open();
    db.close(); // the store is gone
    await expect(ingest.handle(liftTopic('PZ-2', 'status'), status('PZ-2', 1), 'T-PZ-2')).rejects.toMatchObject({ code: 'LW_ERR_STORAGE' });
    await expect(ingest.handle(liftTopic('PZ-2', 'status'), encode(nested(10_000)), 'T-PZ-2')).rejects.toMatchObject({ code: 'LW_ERR_STORAGE' });
  });
});
