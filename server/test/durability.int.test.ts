import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { GOLDEN, liftTopic, type AlertView, type LiftSummary } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch, terminal } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
let client: MqttClient;
let side: Database.Database;
beforeAll(async () => {
  lw = await startTestLiftwatch();
  client = await terminal(lw, 'DUR-1');
  side = new Database(join(lw.dir.path, 'liftwatch.db'));
});
afterAll(async () => {
  side?.close();
  await client?.endAsync(true);
  await lw?.stop();
});

describe('an accepted record is never lost, and a P1 alarm is never late', () => {
  it('when the store fails: the P1 alert opens at once, the message is held without acknowledgement on an open connection, and stored once when the store is back', async () => {
    const ts = Date.now();
    side.exec('ALTER TABLE records RENAME TO records_hidden'); // the store now fails on every write
    let closes = 0;
    client.on('close', () => closes++);
    let acked = false;
    const p1 = { ...GOLDEN.status, liftId: 'DUR-1', seq: 500, ts, speedMps: 0.6, doorZone: false, carDoor: 'open' as const };
    const publish = client.publishAsync(liftTopic('DUR-1', 'status'), JSON.stringify(p1), { qos: 1 }).then(() => { acked = true; });

    // The alert does not wait for the store.
    const alert = await waitFor('the P1 alert', async () => (await lw.get<{ alerts: AlertView[] }>(`/api/alerts?state=active&liftId=DUR-1`)).alerts[0]);
    expect(alert.code).toBe('E02');
    // Held without acknowledgement: the broker stores it again with backoff, and the connection stays.
    await waitFor('the message to be held and tried again', async () => ((await lw.get<{ broker: { publishesHeld: number } }>('/api/stats')).broker.publishesHeld >= 2 ? true : undefined));
    expect(acked).toBe(false);

    side.exec('ALTER TABLE records_hidden RENAME TO records'); // the store recovers
    await publish; // stored on the broker's next try, and acknowledged then
    expect(closes).toBe(0);
    const lift = await lw.get<LiftSummary>(`/api/lifts/DUR-1`);
    expect(lift.recordsTotal).toBe(1);
    expect(side.prepare('SELECT COUNT(*) AS n FROM records WHERE lift_id = ? AND seq = 500').get('DUR-1')).toEqual({ n: 1 });
    // The resend counted no second occurrence: occurrences are unique per record.
    const after = await lw.get<{ alerts: AlertView[] }>(`/api/alerts?state=active&liftId=DUR-1`);
    expect(after.alerts[0]?.occurrences).toBe(1);
  });

  it('keeps every record of a burst that was acknowledged, across a restart', async () => {
    const ts = Date.now();
    const dur2 = await terminal(lw, 'DUR-2'); // a terminal speaks only for its own lift
    const sends = Array.from({ length: 300 }, (_, i) =>
      dur2.publishAsync(liftTopic('DUR-2', 'door'), JSON.stringify({ ...GOLDEN.door, liftId: 'DUR-2', seq: 1000 + i, ts: ts + i }), { qos: 1 }));
    await Promise.all(sends);
    await dur2.endAsync();
    await client.endAsync();
    await lw.close(); // the process stops; the data dir stays
    const count = side.prepare('SELECT COUNT(*) AS n FROM records WHERE lift_id = ?').get('DUR-2') as { n: number };
    expect(count.n).toBe(300);
  });
});
