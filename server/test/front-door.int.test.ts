import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, liftTopic, type LiftSummary } from '@liftwatch/contract';
import { mosquittoPub, startMosquitto, waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch } from './helpers.js';

let mosq: Awaited<ReturnType<typeof startMosquitto>>;
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => {
  mosq = await startMosquitto();
  lw = await startTestLiftwatch({ ingestFromMqttUrl: mosq.url });
});
afterAll(async () => {
  await lw?.stop();
  await mosq?.stop();
});

describe('liftwatch beside a Mosquitto the terminals already use', () => {
  it('stores what terminals publish to Mosquitto, through a shared subscription', async () => {
    const rec = { ...GOLDEN.status, liftId: 'MQ-1', seq: 1, ts: Date.now(), floor: 4 };
    await mosquittoPub({ port: mosq.port, topic: liftTopic('MQ-1', 'status'), message: JSON.stringify(rec), clientId: 'T-MQ-1' });
    const lift = await waitFor('MQ-1 to be stored', async () => lw.get<LiftSummary>(`/api/lifts/MQ-1`).catch(() => undefined));
    expect(lift.status?.floor).toBe(4);
  });
});
