import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { liftTopic } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { createSubscriberFrontDoor } from '../src/subscriber-front-door.js';
import { startMosquitto } from '@liftwatch/test-kit';

let mosq: Awaited<ReturnType<typeof startMosquitto>>;
beforeAll(async () => {
  mosq = await startMosquitto();
});
afterAll(async () => {
  await mosq?.stop();
});

describe('ingest as a subscriber of Mosquitto (the front door for users of other brokers)', () => {
  it('two workers in one shared-subscription group split the messages, each stored once', async () => {
    const stored = new Map<string, string[]>();
    const worker = (id: string) => createSubscriberFrontDoor({ url: mosq.url, clientId: id, shareGroup: 'liftwatch-ingest' }, {
      onPublish: async (_topic, payload) => {
        stored.set(id, [...(stored.get(id) ?? []), payload.toString()]);
      },
    });
    const w1 = worker('ingest-1');
    const w2 = worker('ingest-2');
    await w1.start();
    await w2.start();
    expect(w1.stats().filter).toBe('$share/liftwatch-ingest/lift/v1/+/+');
    const terminal = await mqtt.connectAsync(mosq.url, { clientId: 'T-FD-1', protocolVersion: 4 });
    for (let i = 0; i < 20; i++) await terminal.publishAsync(liftTopic('FD-1', 'trip'), `{"seq":${i}}`, { qos: 1 });
    await waitFor('all 20 stored', () => (stored.get('ingest-1')?.length ?? 0) + (stored.get('ingest-2')?.length ?? 0) === 20);
    const all = [...(stored.get('ingest-1') ?? []), ...(stored.get('ingest-2') ?? [])].sort();
    expect(new Set(all).size).toBe(20);
    expect(stored.get('ingest-1')?.length).toBeGreaterThan(0);
    expect(stored.get('ingest-2')?.length).toBeGreaterThan(0);
    await terminal.endAsync();
    await w1.close();
    await w2.close();
  });

  it('acknowledges only what it stored: a message whose store failed is delivered again', async () => {
    const stored: string[] = [];
    let failNext = true;
    const w = createSubscriberFrontDoor({ url: mosq.url, clientId: 'ingest-retry' }, {
      onPublish: async (_topic, payload) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        stored.push(payload.toString());
      },
    });
    await w.start();
    const terminal = await mqtt.connectAsync(mosq.url, { clientId: 'T-FD-2', protocolVersion: 4 });
    await terminal.publishAsync(liftTopic('FD-2', 'alarm'), '{"seq":1}', { qos: 1 });
    await waitFor('the message to be delivered again and stored', () => stored.includes('{"seq":1}'), 15_000);
    expect(w.stats()).toMatchObject({ failed: 1 });
    await terminal.endAsync();
    await w.close();
  });
});
