import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createIngest, createSqliteTelemetry, type AlertSink, type LiftsSeen } from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const dirs: Array<{ remove: () => void }> = [];
afterEach(() => { for (const d of dirs.splice(0)) d.remove(); });

/** An ingest on a database file; `writerThread: false` where the test "crashes" it (a thread would outlive the crash). */
function open(path: string, checkpointMs: number, writerThread = true, slice?: number) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Timers that would write are pushed far out: the test decides when the process "crashes".
  const ingest = createIngest({ db, alerts }, { liftSummaryCheckpointMs: checkpointMs, ruleStateSaveMs: 3_600_000, writerThread, ...(slice ? { liftSummaryCheckpointSlice: slice } : {}) });
  return { db, ingest };
}
/**
 * An ingest on its own clock (`advance`), with a checkpoint due every second and the quiet-period
 * checkpoint looking every 10 ms; `written` counts the lifts whose rows a checkpoint has written.
 */
function onClock() {
  const dir = tempDir(); dirs.push(dir);
  const db = new Database(join(dir.path, 'l.db'));
  db.pragma('journal_mode = WAL');
  let clock = Date.now();
  const ingest = createIngest({ db, alerts, now: () => clock }, { liftSummaryCheckpointMs: 1_000, ruleStateSaveMs: 10, writerThread: false });
  const written = () => (db.prepare(`SELECT count(*) AS n FROM lifts WHERE records_total > 0`).get() as { n: number }).n;
  return { db, ingest, written, advance: (ms: number) => { clock += ms; } };
}
const status = (liftId: string, seq: number, ts: number, floor: number) =>
  new TextEncoder().encode(JSON.stringify({ ...GOLDEN.status, liftId, seq, ts, floor, speedMps: 0, doorZone: true, carDoor: 'closed' }));

describe('lift summaries between checkpoints', () => {
  it('reads see every committed record at once, although rows are written only at checkpoints (by the writer thread)', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const { db, ingest } = open(join(dir.path, 'l.db'), 3_600_000);
    const t = Date.now();
    await ingest.handle(liftTopic('LS-1', 'status'), status('LS-1', 1, t, 3), null);
    await ingest.handle(liftTopic('LS-1', 'status'), status('LS-1', 2, t + 5_000, 4), null);
    await ingest.handle(liftTopic('LS-1', 'status'), status('LS-1', 1, t, 3), null); // a replay changes nothing
    const row = db.prepare(`SELECT records_total, status_json FROM lifts WHERE lift_id = 'LS-1'`).get() as { records_total: number; status_json: string | null };
    expect(row).toEqual({ records_total: 0, status_json: null }); // not written yet
    const lift = ingest.lifts.get('LS-1', 0)!;
    expect(lift.recordsTotal).toBe(2);
    expect(lift.status?.floor).toBe(4);
    expect(ingest.lifts.list({ limit: 10, offset: 0 }, new Map()).map((l) => [l.liftId, l.recordsTotal, l.status?.seq])).toEqual([['LS-1', 2, 2]]);
    await ingest.close(); // a clean stop writes them
    expect(db.prepare(`SELECT records_total, json_extract(status_json, '$.floor') AS floor FROM lifts WHERE lift_id = 'LS-1'`).get()).toEqual({ records_total: 2, floor: 4 });
    db.close();
  });

  it('several lifts are read together with what is pending for each, unknown ones left out', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const { db, ingest } = open(join(dir.path, 'l.db'), 3_600_000);
    const t = Date.now();
    await ingest.handle(liftTopic('LS-1', 'status'), status('LS-1', 1, t, 3), null);
    await ingest.handle(liftTopic('LS-2', 'status'), status('LS-2', 1, t, 7), null);
    await ingest.handle(liftTopic('LS-2', 'status'), status('LS-2', 2, t + 1000, 8), null);
    const many = ingest.lifts.getMany(['LS-2', 'LS-9', 'LS-1'], new Map([['LS-1', 2]]));
    expect(many.map((l) => [l.liftId, l.recordsTotal, l.status?.floor, l.openAlerts])).toEqual([['LS-2', 2, 8, 0], ['LS-1', 1, 3, 2]]);
    expect(many).toEqual([ingest.lifts.get('LS-2', 0), ingest.lifts.get('LS-1', 2)]);
    // The same without the statuses, which are then neither read nor parsed.
    expect(ingest.lifts.getFacts(['LS-2', 'LS-9', 'LS-1'], new Map([['LS-1', 2]]))).toEqual(many.map((l) => ({ ...l, status: null })));
    await ingest.close();
    db.close();
  });

  it('after a crash, the records stored since the last checkpoint rebuild the lift summaries exactly', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'l.db');
    const first = open(path, 3_600_000, false);
    const t = Date.now();
    for (let i = 1; i <= 30; i++) await first.ingest.handle(liftTopic(`LS-${i % 3}`, 'status'), status(`LS-${i % 3}`, i, t + i * 1000, i), null);
    const before = first.ingest.lifts.list({ limit: 10, offset: 0 }, new Map());
    expect(before.map((l) => l.recordsTotal)).toEqual([10, 10, 10]);
    first.db.close(); // the process dies: nothing pending in memory is written

    const second = open(path, 3_600_000, false);
    const after = second.ingest.lifts.list({ limit: 10, offset: 0 }, new Map());
    expect(after).toEqual(before);
    // The rebuilt state was written at start: a second crash loses nothing either.
    second.db.close();
    const third = open(path, 3_600_000);
    expect(third.db.prepare(`SELECT lift_id, records_total, json_extract(status_json, '$.seq') AS seq FROM lifts ORDER BY lift_id`).all())
      .toEqual([{ lift_id: 'LS-0', records_total: 10, seq: 30 }, { lift_id: 'LS-1', records_total: 10, seq: 28 }, { lift_id: 'LS-2', records_total: 10, seq: 29 }]);
    await third.ingest.close();
    third.db.close();
  });

  it('a checkpoint is written in slices, at most a slice a batch, and a crash between two slices counts no record twice', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'l.db');
    // Every batch is due for a checkpoint, of two lifts at most: the five lifts of a burst take three batches.
    const first = open(path, 0, false, 2);
    const t = Date.now();
    const meta = (key: string) => (first.db.prepare(`SELECT value FROM ingest_meta WHERE key = ?`).get(key) as { value: number } | undefined)?.value ?? 0;
    const rowsWritten = () => (first.db.prepare(`SELECT count(*) AS n FROM lifts WHERE records_total > 0`).get() as { n: number }).n;
    let seq = 0;
    const burst = () => Promise.all([0, 1, 2, 3, 4].map((k) => { seq++; return first.ingest.handle(liftTopic(`LC-${k}`, 'status'), status(`LC-${k}`, seq, t + seq * 1000, seq), null); }));
    await burst(); // one batch: its five lifts are pending
    await first.ingest.handle(liftTopic('LC-0', 'status'), status('LC-0', ++seq, t + seq * 1000, 1), null);
    expect(rowsWritten()).toBe(2); // the first slice
    // then bursts until a crash would come between two slices of a checkpoint (rows past the last complete one's mark)
    for (let i = 0; i < 20 && meta('lift_state_checkpoint_round') <= meta('lift_state_checkpoint'); i++) await burst();
    expect(meta('lift_state_checkpoint_round')).toBeGreaterThan(meta('lift_state_checkpoint'));
    const before = first.ingest.lifts.list({ limit: 10, offset: 0 }, new Map());
    expect(before.reduce((n, l) => n + l.recordsTotal, 0)).toBe(seq);
    first.db.close(); // the process dies

    const second = open(path, 3_600_000, false);
    expect(second.ingest.lifts.list({ limit: 10, offset: 0 }, new Map())).toEqual(before);
    second.db.close();
    const third = open(path, 3_600_000);
    expect(third.db.prepare(`SELECT lift_id, records_total AS n FROM lifts ORDER BY lift_id`).all()).toEqual(before.map((l) => ({ lift_id: l.liftId, n: l.recordsTotal })));
    await third.ingest.close();
    third.db.close();
  });

  it('a checkpoint that falls due is spread over half its interval: each batch writes the lifts due by then', { timeout: 30_000 }, async () => {
    // Batches keep coming (by this clock), so the quiet-period checkpoint leaves the slices to them.
    const { db, ingest, written, advance } = onClock();
    const t = Date.now();
    let seq = 0;
    for (let k = 0; k < 10; k++) await ingest.handle(liftTopic(`LP-${k}`, 'status'), status(`LP-${k}`, ++seq, t + seq, 1), null);
    expect(written()).toBe(0);
    advance(600);
    await ingest.handle(liftTopic('LP-0', 'status'), status('LP-0', ++seq, t + seq, 2), null);
    advance(400); // due, with the last batch 400 ms ago: not a quiet period, the timer leaves it to the next batch
    await sleep(50);
    expect(written()).toBe(0);
    await ingest.handle(liftTopic('LP-0', 'status'), status('LP-0', ++seq, t + seq, 2), null);
    await sleep(50);
    expect(written()).toBe(0); // the checkpoint began with that batch, no lift due yet
    advance(250); // half of the 500 ms it is spread over: half of its ten lifts
    await ingest.handle(liftTopic('LP-0', 'status'), status('LP-0', ++seq, t + seq, 3), null);
    await sleep(50);
    expect(written()).toBe(5);
    advance(250);
    await ingest.handle(liftTopic('LP-0', 'status'), status('LP-0', ++seq, t + seq, 4), null);
    expect(written()).toBe(10);
    // The rows hold what was stored before each slice; the reads see everything.
    expect(ingest.lifts.get('LP-0', 0)?.recordsTotal).toBe(5);
    await ingest.close();
    expect(db.prepare(`SELECT records_total AS n FROM lifts WHERE lift_id = 'LP-0'`).get()).toEqual({ n: 5 });
    db.close();
  });

  it('in a quiet period, a checkpoint that is due is written whole, without waiting for batches', { timeout: 30_000 }, async () => {
    const { db, ingest, written, advance } = onClock();
    for (let k = 0; k < 3; k++) await ingest.handle(liftTopic(`LQ-${k}`, 'status'), status(`LQ-${k}`, 1, Date.now(), 1), null);
    await sleep(50);
    expect(written()).toBe(0); // not due yet
    advance(1_500); // due, and no batch for a second and a half
    await waitFor('the quiet-period checkpoint', () => written() === 3, 5_000);
    await ingest.close();
    db.close();
  });

  it('after a crash, a lift whose records were stored but whose row was not is rebuilt too', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'l.db');
    const first = open(path, 3_600_000, false);
    const t = Date.now();
    for (let i = 1; i <= 12; i++) await first.ingest.handle(liftTopic(`LR-${i % 2}`, 'status'), status(`LR-${i % 2}`, i, t + i * 1000, i), null);
    const before = first.ingest.lifts.list({ limit: 10, offset: 0 }, new Map());
    first.db.prepare(`DELETE FROM lifts WHERE lift_id = 'LR-1'`).run(); // its row never reached the file
    first.db.close(); // the process dies

    const second = open(path, 3_600_000, false);
    expect(second.ingest.lifts.list({ limit: 10, offset: 0 }, new Map())).toEqual(before);
    second.db.close();
  });

  it('a failed batch leaves no trace in the lift summaries, and its resend counts once', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const { db, ingest } = open(join(dir.path, 'l.db'), 3_600_000);
    const t = Date.now();
    await ingest.handle(liftTopic('LS-G', 'status'), status('LS-G', 1, t, 2), null); // the writer is up
    db.exec('ALTER TABLE records RENAME TO records_hidden');
    await expect(ingest.handle(liftTopic('LS-F', 'status'), status('LS-F', 1, t, 2), null)).rejects.toThrow(/could not store/);
    expect(ingest.lifts.get('LS-F', 0)).toBeUndefined();
    db.exec('ALTER TABLE records_hidden RENAME TO records');
    await ingest.handle(liftTopic('LS-F', 'status'), status('LS-F', 1, t, 2), null);
    expect(ingest.lifts.get('LS-F', 0)).toMatchObject({ recordsTotal: 1, status: { floor: 2 } });
    expect(ingest.lifts.count()).toBe(2);
    await ingest.close();
    db.close();
  });
});

describe('the latest status between checkpoints', () => {
  it('is read from the records table, not kept in memory, and written from there at the checkpoint', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts }, { liftSummaryCheckpointMs: 3_600_000, ruleStateSaveMs: 3_600_000, writerThread: false });
    const t = Date.now();
    await ingest.handle(liftTopic('LB-1', 'status'), status('LB-1', 1, t, 3), null);
    await ingest.handle(liftTopic('LB-1', 'status'), status('LB-1', 2, t + 1000, 5), null);
    // The body is the stored record's: a change made to the table shows, which a copy in memory would hide.
    db.prepare(`UPDATE records SET body = json_set(body, '$.floor', 9) WHERE lift_id = 'LB-1' AND seq = 2`).run();
    expect(ingest.lifts.get('LB-1', 0)?.status?.floor).toBe(9);
    await ingest.close();
    expect(db.prepare(`SELECT json_extract(status_json, '$.floor') AS floor, status_seq AS seq FROM lifts WHERE lift_id = 'LB-1'`).get()).toEqual({ floor: 9, seq: 2 });
    db.close();
  });
});

describe('records written by an earlier liftwatch', () => {
  it('are moved once into the arrival-ordered table, and replays of them are still recognised', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE records (lift_id TEXT NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL, ts INTEGER NOT NULL, rx_ts INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (lift_id, seq)) WITHOUT ROWID;
      CREATE INDEX records_by_stream_ts ON records (lift_id, stream, ts);`);
    const rec = { ...GOLDEN.trip, liftId: 'OLD', seq: 7, ts: 1_800_000_000_000 };
    db.prepare(`INSERT INTO records VALUES ('OLD', 7, 'trip', ?, ?, ?)`).run(rec.ts, rec.ts + 5, JSON.stringify(rec));
    const store = createSqliteTelemetry(db);
    expect((await store.recent('OLD', { limit: 5 })).map((r) => [r.stream, r.seq, r.rx])).toEqual([['trip', 7, rec.ts + 5]]);
    expect(await store.write([{ liftId: 'OLD', stream: 'trip', seq: 7, ts: rec.ts, rx: rec.ts + 9, record: rec as unknown as Record<string, unknown> }])).toEqual([false]);
    expect(store.lastId()).toBe(1);
    createSqliteTelemetry(db); // a second start changes nothing
    expect(store.lastId()).toBe(1);
  });

  it('rollups kept one row per field are packed into one row per stream with the same figures', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE rollups (res INTEGER NOT NULL, lift_id TEXT NOT NULL, stream TEXT NOT NULL, field TEXT NOT NULL, bucket INTEGER NOT NULL,
      min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (res, lift_id, stream, field, bucket)) WITHOUT ROWID`);
    const hour = 3_600_000; const t = 1_800_000_000_000 - (1_800_000_000_000 % hour);
    const put = db.prepare(`INSERT INTO rollups VALUES (?, 'OLD', 'trip', ?, ?, ?, ?, ?, ?)`);
    put.run(hour, 'stopErrMm', t, -2, 4, 6, 3); put.run(hour, 'slipMm', t, 0.1, 0.5, 0.9, 3); put.run(hour, 'stopErrMm', t + hour, 1, 1, 1, 1);
    const store = createSqliteTelemetry(db, { rawDays: 0, minuteDays: 0, hourDays: 36500 });
    expect(await store.range({ liftId: 'OLD', stream: 'trip', field: 'stopErrMm', fromMs: t, toMs: t + 2 * hour, bucketMs: hour }))
      .toEqual([{ t, min: -2, max: 4, mean: 2, count: 3 }, { t: t + hour, min: 1, max: 1, mean: 1, count: 1 }]);
    expect(await store.range({ liftId: 'OLD', stream: 'trip', field: 'slipMm', fromMs: t, toMs: t + 2 * hour, bucketMs: 2 * hour }))
      .toEqual([{ t, min: 0.1, max: 0.5, mean: 0.3, count: 3 }]);
  });

  it('rollups kept in a table keyed by lift, with JSON figures, are moved and still add up with new records', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE rollups (res INTEGER NOT NULL, lift_id TEXT NOT NULL, stream TEXT NOT NULL, bucket INTEGER NOT NULL, stats TEXT NOT NULL,
      PRIMARY KEY (res, lift_id, stream, bucket)) WITHOUT ROWID`);
    const minute = 60_000; const t = Date.now() - (Date.now() % minute) - 10 * minute;
    db.prepare(`INSERT INTO rollups VALUES (?, 'OLD', 'trip', ?, ?)`).run(minute, t, JSON.stringify({ stopErrMm: [-2, 4, 6, 3], slipMm: [0.1, 0.5, 0.9, 3] }));
    const store = createSqliteTelemetry(db);
    expect(db.prepare(`SELECT name FROM pragma_table_info('rollups')`).pluck().all()).toContain('id');
    const rec = { ...GOLDEN.trip, liftId: 'OLD', seq: 9, ts: t + 30_000, stopErrMm: 10 };
    await store.write([{ liftId: 'OLD', stream: 'trip', seq: 9, ts: rec.ts, rx: rec.ts, record: rec as unknown as Record<string, unknown> }]);
    const q = { liftId: 'OLD', stream: 'trip' as const, fromMs: t, toMs: t + minute, bucketMs: minute };
    expect(store.resolutionFor({ ...q, field: 'stopErrMm' }, Date.now())).toBe(minute);
    expect(await store.range({ ...q, field: 'stopErrMm' })).toEqual([{ t, min: -2, max: 10, mean: 4, count: 4 }]);
    expect(await store.range({ ...q, field: 'slipMm' })).toEqual([{ t, min: 0.1, max: 0.5, mean: (0.9 + GOLDEN.trip.slipMm!) / 4, count: 4 }]);
  });
});

describe('what a commit tells its listeners', () => {
  it('each lift stored with its newest receive time and changed presence; lifts to read again only for a registry record', async () => {
    const seen: LiftsSeen[] = [];
    const changed: string[][] = [];
    let rx = 1_800_000_000_000;
    const ingest = createIngest({ db: new Database(':memory:'), alerts, now: () => rx, onLiftsSeen: (s) => seen.push(s), onLiftsChanged: (ids) => changed.push(ids) });
    const t = Date.now();
    await Promise.all([
      ingest.handle(liftTopic('TL-1', 'status'), status('TL-1', 1, t, 3), 'term-1'),
      ingest.handle(liftTopic('TL-2', 'status'), status('TL-2', 1, t, 3), null),
    ]);
    rx += 5_000;
    await ingest.handle(liftTopic('TL-1', 'status'), status('TL-1', 2, t + 5_000, 4), 'term-1');
    await ingest.handle(liftTopic('TL-2', 'registry'), new TextEncoder().encode(JSON.stringify({ ...GOLDEN.registry, liftId: 'TL-2', seq: 2, ts: t })), null);
    await ingest.clientGone('term-1');
    const asRows = (s: LiftsSeen) => s.liftIds.map((id, i) => [id, s.lastSeenAt[i], s.presence[i]]);
    expect(seen.map(asRows)).toEqual([
      [['TL-1', rx - 5_000, 'online'], ['TL-2', rx - 5_000, undefined]],
      [['TL-1', rx, undefined]],
      [['TL-2', rx, undefined]],
      [['TL-1', 0, 'offline']],
    ]);
    expect(changed).toEqual([['TL-2']]);
    await ingest.close();
  });

  it('a lift whose records now come from another client stays online when the client it left goes', async () => {
    const ingest = createIngest({ db: new Database(':memory:'), alerts });
    const t = Date.now();
    await ingest.handle(liftTopic('MV-1', 'status'), status('MV-1', 1, t, 3), 'old-client');
    await ingest.handle(liftTopic('MV-2', 'status'), status('MV-2', 1, t, 3), 'old-client');
    await ingest.handle(liftTopic('MV-1', 'status'), status('MV-1', 2, t + 1_000, 3), 'new-client');
    await ingest.clientGone('old-client');
    const presence = () => ingest.lifts.list({ limit: 10, offset: 0 }, new Map()).map((l) => [l.liftId, l.presence]);
    expect(presence()).toEqual([['MV-1', 'online'], ['MV-2', 'offline']]);
    await ingest.clientGone('new-client');
    expect(presence()).toEqual([['MV-1', 'offline'], ['MV-2', 'offline']]);
    await ingest.close();
  });
});

describe('retention on the writer thread', () => {
  it('removes raw records past their days at start, between batches, and keeps what is younger', { timeout: 30_000 }, async () => {
    const dir = tempDir(); dirs.push(dir);
    const path = join(dir.path, 'r.db');
    const DAY = 86_400_000;
    const trip = (liftId: string, seq: number, ts: number) => new TextEncoder().encode(JSON.stringify({ ...GOLDEN.trip, liftId, seq, ts }));
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const removed = () => lines.map((l) => /retention removed (\d+) raw/.exec(l)?.[1]).reduce((n, x) => n + Number(x ?? 0), 0);
    const first = createIngest({ db: new Database(path), alerts, log }, { retention: { rawDays: 365, minuteDays: 400, hourDays: 3650 } });
    const now = Date.now();
    await Promise.all(Array.from({ length: 1200 }, (_, k) => k + 1).map((i) => first.handle(liftTopic(`RT-${i}`, 'trip'), trip(`RT-${i}`, 1, now - 40 * DAY), null)));
    await first.handle(liftTopic('RT-1', 'trip'), trip('RT-1', 2, now - DAY), null);
    await first.close();

    const db = new Database(path);
    expect(removed()).toBe(0);
    const second = createIngest({ db, alerts, log }, { retention: { rawDays: 30, minuteDays: 60, hourDays: 3650 } });
    // Slices of 500 lifts: the pass at this start needs three.
    await waitFor('retention to remove the 1,200 old records', () => removed() === 1200, 20_000);
    expect(db.prepare('SELECT lift_id, seq FROM records').all()).toEqual([{ lift_id: 'RT-1', seq: 2 }]);
    await second.close();
    db.close();
  });
});
