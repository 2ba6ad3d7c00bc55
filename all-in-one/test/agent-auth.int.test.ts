import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiftSummary } from '@liftwatch/contract';
import { createEdgeAgent, createSimSource } from '@liftwatch/edge-agent';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { startTestLiftwatch } from './helpers.js';

let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
const spoolDir = tempDir();
beforeAll(async () => { lw = await startTestLiftwatch(); });
afterAll(async () => {
  await lw?.stop();
  spoolDir.remove();
});

describe('an edge agent against the authenticated broker', () => {
  it('is refused without its token and delivers its lift\'s records with it', async () => {
    const issued = await lw.terminals.add({ liftId: 'AG-1' });
    const lines: string[] = [];
    const wrong = createEdgeAgent({ brokerUrl: lw.mqttUrl, liftId: 'AG-1', spoolPath: `${spoolDir.path}/wrong.db`, username: 'T-AG-1', password: 'lwt_not-the-token', reconnectPeriodMs: 200 },
      { source: createSimSource({ liftId: 'AG-1', seed: 1, speed: 60, trafficScale: 10 }), log: (l) => lines.push(l) });
    wrong.start();
    await waitFor('the refusal to be logged', () => lines.some((l) => /not authori[sz]ed|bad user name or password|refused/i.test(l)), 10_000);
    expect(wrong.stats().publisher.sent).toBe(0);
    await wrong.close();

    const agent = createEdgeAgent({ brokerUrl: lw.mqttUrl, liftId: 'AG-1', spoolPath: `${spoolDir.path}/right.db`, username: 'T-AG-1', password: issued.token, reconnectPeriodMs: 200 },
      { source: createSimSource({ liftId: 'AG-1', seed: 1, speed: 60, trafficScale: 10 }) });
    agent.start();
    const lift = await waitFor('records of AG-1 stored', async () => {
      const l = await lw.get<LiftSummary>(`/api/lifts/AG-1`).catch(() => undefined);
      return l && l.recordsTotal >= 5 ? l : undefined;
    }, 20_000);
    expect(lift.presence).toBe('online');
    await agent.close();
  });
});
