import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createIngest, type AlertSink } from '../src/index.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 2, 8, 0, 0);
const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const dirs: Array<{ remove: () => void }> = [];
afterEach(() => { for (const d of dirs.splice(0)) d.remove(); });

const limits = { days: 14, maxPerTerminal: 20, maxBytesPerTerminal: 1024 * 1024, keepBytes: 512 };
/** 70 KB that is not JSON, as the terminal in the report sent ten times a second. */
const junk = (i: number) => Buffer.alloc(70_000, `junk ${i} `);

describe('dead letters of a terminal that sends garbage', () => {
  it('keep the reason and the first bytes of each payload, up to the terminal\'s quota; the rest are counted, and other terminals keep theirs', async () => {
    const db = new Database(':memory:');
    let ms = T;
    const ingest = createIngest({ db, alerts, now: () => (ms += 100) }, { deadLetters: limits, writerThread: false });
    for (let i = 0; i < 300; i++) await ingest.handle(liftTopic('DL-1', 'trip'), junk(i), 'T-DL-1');
    await ingest.handle(liftTopic('DL-2', 'trip'), Buffer.from('{"not":"a trip"'), 'T-DL-2');

    const kept = db.prepare(`SELECT client_id AS clientId, COUNT(*) AS n, MAX(length(raw)) AS rawMax, MIN(size_bytes) AS size FROM dead_letters GROUP BY client_id ORDER BY client_id`).all();
    expect(kept).toEqual([{ clientId: 'T-DL-1', n: 20, rawMax: 512, size: 70_000 }, { clientId: 'T-DL-2', n: 1, rawMax: 15, size: 15 }]);
    const [newest] = ingest.store.deadLetters({ limit: 1, offset: 0 });
    expect(newest).toMatchObject({ clientId: 'T-DL-2', code: 'LW_ERR_PAYLOAD_NOT_JSON' });
    const oldest = ingest.store.deadLetters({ limit: 1, offset: 20 })[0]!;
    expect(oldest).toMatchObject({ clientId: 'T-DL-1', code: 'LW_ERR_PAYLOAD_NOT_JSON', sizeBytes: 70_000, reason: expect.stringContaining('JSON') });
    expect(oldest.rawText).toBe(junk(0).subarray(0, 512).toString('utf8'));

    expect(ingest.stats()).toMatchObject({ rejected: 301, deadLettersDropped: 280, deadLetterBytesDropped: 280 * 70_000 });
    const [recent, flooder] = ingest.store.deadLetterTerminals(); // the most recent first
    expect(recent).toMatchObject({ clientId: 'T-DL-2', overQuota: false, kept: 1 });
    expect(flooder).toMatchObject({ clientId: 'T-DL-1', overQuota: true, kept: 20, rejectedSinceStart: 300, droppedSinceStart: 280, droppedBytesSinceStart: 280 * 70_000, lastCode: 'LW_ERR_PAYLOAD_NOT_JSON' });
    expect(flooder?.summary).toMatch(/^terminal T-DL-1 sends messages that cannot be stored: 20 dead letters kept \(\d+ bytes\), 280 more \(19600000 bytes\) not kept: past its quota of 20 dead letters/);
    await ingest.close();
  });

  it('a terminal past its bytes quota keeps nothing more, though under its count', async () => {
    const ingest = createIngest({ db: new Database(':memory:'), alerts, now: () => T }, { deadLetters: { ...limits, maxPerTerminal: 1000, maxBytesPerTerminal: 10 * 1024 }, writerThread: false });
    for (let i = 0; i < 50; i++) await ingest.handle(liftTopic('DL-3', 'trip'), junk(i), 'T-DL-3');
    const [t] = ingest.store.deadLetterTerminals();
    expect(t!.keptBytes).toBeLessThanOrEqual(10 * 1024);
    expect(t!.kept + t!.droppedSinceStart).toBe(50);
    expect(t!.kept).toBeGreaterThan(5);
    await ingest.close();
  });

  it('are deleted after their days by the retention, which frees the terminal\'s quota again', async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'd.db');
    const clock = { now: T };
    const first = createIngest({ db: new Database(path), alerts, now: () => clock.now }, { deadLetters: limits, writerThread: false });
    for (let i = 0; i < 25; i++) await first.handle(liftTopic('DL-4', 'trip'), junk(i), 'T-DL-4');
    const valid = JSON.stringify({ ...GOLDEN.trip, liftId: 'DL-4', seq: 1, ts: T });
    await first.handle(liftTopic('DL-4', 'trip'), Buffer.from(valid), 'T-DL-4');
    expect(first.store.deadLetterCount()).toBe(20);
    await first.close();

    clock.now = T + 15 * DAY; // retention runs at start, then hourly
    const second = createIngest({ db: new Database(path), alerts, now: () => clock.now }, { deadLetters: limits, writerThread: false });
    await waitFor('retention to delete the dead letters past 14 days', () => second.store.deadLetterCount() === 0);
    expect(second.store.deadLetterTerminals()).toEqual([]);
    await second.handle(liftTopic('DL-4', 'trip'), junk(99), 'T-DL-4');
    expect(second.store.deadLetterTerminals()[0]).toMatchObject({ clientId: 'T-DL-4', kept: 1, overQuota: false });
    expect(await second.telemetry.latest('DL-4', 'trip')).toMatchObject({ seq: 1 }); // records are not dead letters
    await second.close();
  });
});
