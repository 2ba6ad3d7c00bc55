import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { createIngest, type AlertSink } from '../src/index.js';

const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('the stored body of a record', () => {
  it('is the payload as sent for a message of one record, and each record\'s JSON in an array', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts }, { writerThread: false });
    const t = Date.now();
    // Spaces and key order a serialiser would not keep: the body is the terminal's own text.
    const one = `{ "seq": 1,  ${JSON.stringify({ ...GOLDEN.trip, liftId: 'SB-1', seq: undefined, ts: t }).slice(1)}`;
    await ingest.handle(liftTopic('SB-1', 'trip'), bytes(one), null);
    const two = [{ ...GOLDEN.trip, liftId: 'SB-1', seq: 2, ts: t + 1 }, { ...GOLDEN.trip, liftId: 'SB-1', seq: 3, ts: t + 2 }];
    await ingest.handle(liftTopic('SB-1', 'trip'), bytes(JSON.stringify(two, null, 1)), null);
    const bodies = db.prepare(`SELECT seq, body FROM records WHERE lift_id = 'SB-1' ORDER BY seq`).all() as Array<{ seq: number; body: string }>;
    expect(bodies).toEqual([{ seq: 1, body: one }, { seq: 2, body: JSON.stringify(two[0]) }, { seq: 3, body: JSON.stringify(two[1]) }]);
    expect(JSON.parse(bodies[0]!.body)).toEqual({ ...GOLDEN.trip, liftId: 'SB-1', seq: 1, ts: t });
    await ingest.close();
    db.close();
  });

  it('holds the liftwatch code that a fault sent with its source code was given', async () => {
    const db = new Database(':memory:');
    const ingest = createIngest({ db, alerts }, { writerThread: false });
    const { code: _code, ...withoutCode } = GOLDEN.fault as unknown as Record<string, unknown>;
    const fault = { ...withoutCode, liftId: 'SB-2', seq: 1, ts: Date.now(), sourceScheme: 'gbt24476-2017', sourceCode: '11' };
    await ingest.handle(liftTopic('SB-2', 'fault'), bytes(JSON.stringify(fault)), null);
    const row = db.prepare(`SELECT json_extract(body, '$.code') AS code, json_extract(body, '$.sourceCode') AS source FROM records WHERE lift_id = 'SB-2'`).get();
    expect(row).toEqual({ code: 'E01', source: '11' }); // GB/T 24476-2017 code 11: entrapment
    await ingest.close();
    db.close();
  });
});
