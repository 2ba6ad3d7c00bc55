import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic, lwError } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';

/**
 * Ingest answers the messages of one commit with one promise (its group commit): the broker settles
 * them together, yet acknowledges each once, only after that promise, and holds each on its own when
 * the store could not take them.
 */
let b: Awaited<ReturnType<typeof startTestBroker>>;
let commit: { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } | undefined;
let tries = 0;
const newCommit = () => {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
beforeAll(async () => {
  b = await startTestBroker({}, undefined, () => {
    tries++;
    return commit ? commit.promise : Promise.resolve();
  });
});
afterAll(async () => b.close());

describe('messages answered with one promise by ingest', () => {
  it('are each acknowledged once, and only after it resolved', async () => {
    const c = await b.connect(await b.issue('SA-1'));
    commit = newCommit();
    const acked: number[] = [];
    const sent = Array.from({ length: 20 }, (_, i) => c.publishAsync(liftTopic('SA-1', 'trip'), `{"n":${i}}`, { qos: 1 }).then(() => acked.push(i)));
    await waitFor('every message to reach ingest', () => b.received.length >= 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(acked).toEqual([]);
    commit.resolve();
    await Promise.all(sent);
    expect(acked.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    commit = undefined;
    await c.endAsync();
  });

  it('are each held and stored again when it rejects with a store failure, then acknowledged', async () => {
    const c = await b.connect(await b.issue('SA-2'));
    commit = newCommit();
    tries = 0;
    const sent = Array.from({ length: 10 }, (_, i) => c.publishAsync(liftTopic('SA-2', 'trip'), `{"n":${i}}`, { qos: 1 }));
    await waitFor('every message to reach ingest', () => tries >= 10);
    const failed = commit;
    commit = undefined; // the store takes them when they come again
    failed.reject(lwError('LW_ERR_STORAGE', 'disk full'));
    await Promise.all(sent);
    expect(tries).toBe(20);
    expect(b.broker.metrics().publishesHeld).toBe(10);
    expect(c.connected).toBe(true);
    await c.endAsync();
  });
});
