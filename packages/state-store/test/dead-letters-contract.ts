import { expect, it } from 'vitest';
import type { StateStore } from '../src/index.js';

/** The dead letters' part of the contract suite (contract.ts): `nodes()` gives two connections (two nodes) to one database. */
export function deadLetterCases(nodes: () => { a: StateStore; b: StateStore }): void {
  const letter = (clientId: string | null, rx: number, text: string) => ({ rx, topic: 'lift/v1/DL-1/trip', clientId, code: 'LW_ERR_PAYLOAD_NOT_JSON', reason: `not JSON: ${text}`, size: 70_000, raw: Buffer.from(text) });
  const count = (clientId: string | null, at: number, over: Partial<{ rejected: number; dropped: number; droppedBytes: number; lastCode: string }> = {}) => ({
    clientId, rejected: 1, dropped: 0, droppedBytes: 0, firstAt: at, lastAt: at, lastCode: 'LW_ERR_PAYLOAD_NOT_JSON', lastReason: `at ${at}`, lastTopic: 'lift/v1/DL-1/trip', ...over,
  });

  it('dead letters: what two nodes keep is read on either, newest first, with the bytes as received and per terminal counts that add up', async () => {
    const { a, b } = nodes();
    const before = await b.deadLetters.count();
    await a.deadLetters.add([letter('T-DL-A', 1_000, 'junk 1'), letter(null, 1_100, 'from the platform')], [count('T-DL-A', 1_000), count(null, 1_100)]);
    await b.deadLetters.add([letter('T-DL-A', 2_000, 'junk é 2')], [count('T-DL-A', 2_000, { rejected: 3, dropped: 2, droppedBytes: 140_000, lastCode: 'LW_ERR_PAYLOAD_INVALID' })]);
    // A batch that landed late (an older rejection) adds its counts but keeps the newest details.
    await a.deadLetters.add([], [count('T-DL-A', 500, { rejected: 1 })]);
    expect(await b.deadLetters.count()).toBe(before + 3);
    const [newest, platform] = await a.deadLetters.list({ limit: 2, offset: 0 });
    expect(newest).toMatchObject({ receivedAt: 2_000, clientId: 'T-DL-A', topic: 'lift/v1/DL-1/trip', sizeBytes: 70_000, rawText: 'junk é 2', rawBase64: Buffer.from('junk é 2').toString('base64') });
    expect(platform).toMatchObject({ receivedAt: 1_100, clientId: null });
    const tallies = await b.deadLetters.tallies();
    expect(tallies.find((t) => t.clientId === 'T-DL-A')).toEqual({
      clientId: 'T-DL-A', kept: 2, keptBytes: Buffer.byteLength('junk 1not JSON: junk 1') + Buffer.byteLength('junk é 2not JSON: junk é 2'),
      rejected: 5, dropped: 2, droppedBytes: 140_000, firstAt: 500, lastAt: 2_000, lastCode: 'LW_ERR_PAYLOAD_INVALID', lastReason: 'at 2000', lastTopic: 'lift/v1/DL-1/trip',
    });
    expect(tallies.find((t) => t.clientId === null)).toMatchObject({ kept: 1, rejected: 1 });
    expect((await a.deadLetters.tallies(1)).map((t) => t.clientId)).toEqual(['T-DL-A']); // the most recent first
    await expect(a.deadLetters.add([letter('T-DL-A', -1, 'x')], [])).rejects.toThrow(/dead letter on lift\/v1\/DL-1\/trip: rx is -1/);
    await expect(a.deadLetters.add([], [count('T-DL-A', 1, { dropped: -2 })])).rejects.toThrow(/-2 is not a count/);
  });

  it('dead letters: retention deletes those past their days and the counts of terminals quiet since, on every node', async () => {
    const { a, b } = nodes();
    await a.deadLetters.add([letter('T-DL-OLD', 10_000, 'old'), letter('T-DL-NEW', 10_000, 'old of new')], [count('T-DL-OLD', 10_000), count('T-DL-NEW', 10_000)]);
    await b.deadLetters.add([letter('T-DL-NEW', 90_000, 'new')], [count('T-DL-NEW', 90_000)]);
    expect(await b.deadLetters.deleteBefore(50_000)).toBeGreaterThanOrEqual(2);
    const left = await a.deadLetters.list({ limit: 1000, offset: 0 });
    expect(left.every((l) => l.receivedAt >= 50_000)).toBe(true);
    const tallies = await a.deadLetters.tallies();
    expect(tallies.find((t) => t.clientId === 'T-DL-OLD')).toBeUndefined();
    expect(tallies.find((t) => t.clientId === 'T-DL-NEW')).toMatchObject({ kept: 1, rejected: 2, lastAt: 90_000 });
  });
}
