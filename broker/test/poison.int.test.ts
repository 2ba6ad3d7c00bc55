import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic, MAX_LOG_LINE_CHARS } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startTestBroker } from './helpers.js';

/**
 * The broker's publish hook when ingest itself is faulty: ingest promises to reject only for a
 * store failure, but a throw from it (at once, or later) must cost one connection, never the process.
 */
let b: Awaited<ReturnType<typeof startTestBroker>>;
beforeAll(async () => {
  b = await startTestBroker({}, undefined, (topic) => {
    if (topic.includes('/BP-SYNC/')) throw new RangeError(`Maximum call stack size exceeded ${'x'.repeat(100_000)}`);
    if (topic.includes('/BP-LATE/')) return Promise.reject(new TypeError('late fault'));
    return Promise.resolve();
  });
});
afterAll(async () => { await b?.close(); });

describe('a faulty ingest behind the broker', () => {
  for (const lift of ['BP-SYNC', 'BP-LATE']) {
    it(`${lift}: the message is not acknowledged, its client is disconnected with a short log line, and the broker serves the others`, async () => {
      const c = await b.connect({ ...(await b.issue(lift)), reconnectPeriod: 0 });
      const acks: number[] = [];
      c.on('packetreceive', (p) => { if (p.cmd === 'puback') acks.push(p.messageId ?? 0); });
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
      c.publish(liftTopic(lift, 'status'), '{}', { qos: 1 });
      await closed;
      expect(acks).toEqual([]);
      await waitFor('the log line', () => b.logs.some((l) => l.includes(`client T-${lift}`) && l.includes(liftTopic(lift, 'status'))));
      for (const line of b.logs) expect(line.length).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
      c.end(true);

      const other = await b.connect(await b.issue(`${lift}-OK`));
      await other.publishAsync(liftTopic(`${lift}-OK`, 'status'), '{}', { qos: 1 });
      await other.endAsync();
    });
  }
});
