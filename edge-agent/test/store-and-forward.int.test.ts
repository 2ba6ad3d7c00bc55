import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { GOLDEN } from '@liftwatch/contract';
import { createEdgeAgent, createPublisher, createSimSource, openSqliteSpool } from '../src/index.js';
import { checkDelivery, startRecordingBroker } from './recording-broker.js';

describe('store-and-forward through a broker stopped and restarted mid-stream', () => {
  it('every seq arrives, in order of acceptance, duplicates only with the same seq', async () => {
    const broker = await startRecordingBroker();
    onTestFinished(() => broker.close());
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const liftId = 'SNF-1';
    const firstSeq = 1_000;
    const source = createSimSource({ liftId, seed: 7, trafficScale: 6, speed: 150, tickMs: 50 });
    const agent = createEdgeAgent({ brokerUrl: broker.url, liftId, spoolPath: join(dir.path, 'spool.db'), firstSeq, statusQos: 1, reconnectPeriodMs: 200 }, { source });
    agent.start();

    await waitFor('records before the broker stops', () => broker.count(liftId) >= 40, 20_000);
    await broker.stop();
    // While the broker is down, the agent keeps accepting records into the spool.
    await waitFor('a backlog in the spool', () => agent.stats().spool.backlog >= 20, 20_000);
    expect(agent.stats().publisher.connected).toBe(false);
    const backlogWhileDown = agent.stats().spool.backlog;
    await broker.start();
    await waitFor('the backlog to drain after the restart', () => agent.stats().publisher.connected && agent.stats().spool.backlog < 5, 20_000);
    const connects = agent.stats().publisher.connects;
    await agent.close(10_000);

    const spool = openSqliteSpool({ path: join(dir.path, 'spool.db') });
    const nextSeq = spool.nextSeq(liftId);
    const left = spool.stats(liftId).backlog;
    spool.close();
    expect(left).toBe(0);
    expect(nextSeq - firstSeq).toBeGreaterThan(40 + backlogWhileDown - 1);
    const { missing, conflicting } = checkDelivery(broker.received, liftId, firstSeq, nextSeq);
    expect(missing).toEqual([]);
    expect(conflicting).toEqual([]);
    const order = broker.arrivals(liftId);
    expect(order).toEqual([...order].sort((a, b) => a - b)); // drained in order
    expect(connects).toBeGreaterThanOrEqual(2);
  });
});

describe('draining a backlog', () => {
  it('goes in seq order with flow control: at most maxInflight messages wait for PUBACK, arrays of at most maxRecordsPerMessage', async () => {
    const broker = await startRecordingBroker({ ackDelayMs: 30 });
    onTestFinished(() => broker.close());
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const spool = openSqliteSpool({ path: join(dir.path, 'spool.db') });
    onTestFinished(() => spool.close());
    const liftId = GOLDEN.door.liftId;
    const { seq: _seq, ...door } = GOLDEN.door;
    spool.seedSeq(liftId, 1);
    spool.accept(liftId, Array.from({ length: 500 }, (_, i) => ({ stream: 'door' as const, record: { ...door, ts: door.ts + i } })));
    const publisher = createPublisher({ brokerUrl: broker.url, liftId, maxInflight: 3, maxRecordsPerMessage: 40 }, { spool });
    onTestFinished(() => publisher.close());
    await waitFor('the backlog to drain', () => spool.stats(liftId).backlog === 0, 20_000);
    const flow = broker.flow();
    expect(flow.maxOutstanding).toBeLessThanOrEqual(3);
    expect(Math.max(...flow.messageSizes)).toBe(40);
    expect(flow.messageSizes.reduce((a, b) => a + b, 0)).toBe(500);
    expect(broker.arrivals(liftId)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});
