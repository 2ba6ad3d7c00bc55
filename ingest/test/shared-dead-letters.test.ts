import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createIngest, sharedDeadLetterReader, type AlertSink } from '../src/index.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 2, 8, 0, 0);
const alerts: AlertSink = { raise: () => ({ created: false, counted: false }), conditionCleared: () => {} };
const limits = { days: 14, maxPerTerminal: 5, maxBytesPerTerminal: 1024 * 1024, keepBytes: 64 };
const junk = (i: number) => Buffer.alloc(1_000, `junk ${i} `);

const dir = tempDir('liftwatch-shared-dead-');
let stateUrl: string;
let stores: StateStore[] = [];
const state = async () => {
  const s = await openStateStore({ url: stateUrl });
  stores.push(s);
  return s;
};
beforeAll(() => { stateUrl = `sqlite:${join(dir.path, 'state.db')}`; });
afterAll(async () => {
  for (const s of stores) await s.close();
  stores = [];
  dir.remove();
});

/** An ingest node: a database of its own, its dead letters in the shared state store. */
async function node(clock: { now: number }) {
  const db = new Database(':memory:');
  const ingest = createIngest({ db, alerts, now: () => clock.now, deadLetters: (await state()).deadLetters }, { deadLetters: limits, writerThread: false });
  return { db, ingest };
}

describe('dead letters in the shared state store (several ingest nodes)', () => {
  it('each node\'s dead letters are read on every node, with each terminal\'s quota and counts; none stay in the node\'s own database', async () => {
    const clock = { now: T };
    const a = await node(clock);
    const b = await node(clock);
    for (let i = 0; i < 8; i++) await a.ingest.handle(liftTopic('SDL-1', 'trip'), junk(i), 'T-SDL-1');
    clock.now += 1_000;
    await b.ingest.handle(liftTopic('SDL-2', 'trip'), Buffer.from('{"not":"a trip"'), 'T-SDL-2');

    for (const reader of [a.ingest.deadLetters, b.ingest.deadLetters, sharedDeadLetterReader((await state()).deadLetters, limits)]) {
      expect(await reader.count()).toBe(6);
      const [newest] = await reader.list({ limit: 1, offset: 0 });
      expect(newest).toMatchObject({ clientId: 'T-SDL-2', code: 'LW_ERR_PAYLOAD_NOT_JSON', rawText: '{"not":"a trip"' });
      const [recent, flooder] = await reader.terminals();
      expect(recent).toMatchObject({ clientId: 'T-SDL-2', kept: 1, overQuota: false });
      expect(flooder).toMatchObject({ clientId: 'T-SDL-1', kept: 5, rejectedSinceStart: 8, droppedSinceStart: 3, droppedBytesSinceStart: 3_000, overQuota: true });
      expect(flooder?.summary).toMatch(/^terminal T-SDL-1 sends messages that cannot be stored: 5 dead letters kept/);
    }
    expect(a.ingest.stats()).toMatchObject({ rejected: 8, deadLettersDropped: 3 });
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get()).toEqual({ n: 0 });
    await a.ingest.close();
    await b.ingest.close();
  });

  it('a node starting later holds a terminal to the quota its letters already fill; retention frees it on every node', async () => {
    const clock = { now: T };
    const first = await node(clock);
    for (let i = 0; i < 5; i++) await first.ingest.handle(liftTopic('SDL-3', 'trip'), junk(i), 'T-SDL-3');
    await first.ingest.close();
    const second = await node(clock);
    await second.ingest.handle(liftTopic('SDL-3', 'trip'), junk(5), 'T-SDL-3');
    const reader = sharedDeadLetterReader((await state()).deadLetters, limits);
    expect((await reader.terminals()).find((t) => t.clientId === 'T-SDL-3')).toMatchObject({ kept: 5, droppedSinceStart: 1 });
    await second.ingest.close();

    clock.now = T + 15 * DAY; // retention runs at start, then hourly
    const third = await node(clock);
    await waitFor('retention to delete the dead letters past 14 days', async () => (await reader.count()) === 0);
    await waitFor('the quota to be free again', async () => {
      await third.ingest.handle(liftTopic('SDL-3', 'trip'), junk(6), 'T-SDL-3');
      return (await reader.terminals()).find((t) => t.clientId === 'T-SDL-3')?.kept === 1;
    });
    await third.ingest.close();
  });

  it('a message whose dead letter the shared store cannot take is not acknowledged: the terminal sends it again', async () => {
    const clock = { now: T };
    const s = await openStateStore({ url: stateUrl });
    const ingest = createIngest({ db: new Database(':memory:'), alerts, now: () => clock.now, deadLetters: s.deadLetters }, { deadLetters: limits, writerThread: false });
    await s.close(); // the shared store is gone
    await expect(ingest.handle(liftTopic('SDL-4', 'trip'), junk(1), 'T-SDL-4')).rejects.toMatchObject({ code: 'LW_ERR_STORAGE' });
    expect(ingest.storeHealth()).toMatchObject({ writable: false });
    await ingest.close();
  });
});
