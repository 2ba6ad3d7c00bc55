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

  it('keeps trying a disabled terminal with a growing pause, and drains its spool once it is enabled, without a restart', async () => {
    const issued = await lw.terminals.add({ liftId: 'AG-2' });
    await lw.terminals.setEnabled('T-AG-2', false);
    const lines: string[] = [];
    const agent = createEdgeAgent({ brokerUrl: lw.mqttUrl, liftId: 'AG-2', spoolPath: `${spoolDir.path}/disabled.db`, username: 'T-AG-2', password: issued.token, reconnectPeriodMs: 100, reconnectMaxMs: 800 },
      { source: createSimSource({ liftId: 'AG-2', seed: 2, speed: 60, trafficScale: 10 }), log: (l) => lines.push(l) });
    agent.start();
    const pauses = () => lines.filter((l) => /refused/i.test(l)).map((l) => Number(/next try in (\d+) ms/.exec(l)?.[1]));
    // 100, 200, 400, 800 ms (±20 %): refused again and again, each time after a longer pause.
    await waitFor('four refusals, each followed by a longer pause', () => pauses().length >= 4 && agent.stats().publisher.reconnectTries >= 4, 20_000);
    const [a, b, c, d] = pauses();
    expect(a! < b! && b! < c! && c! < d!).toBe(true);
    expect(agent.stats().publisher.sent).toBe(0);
    const waiting = await waitFor('records waiting in the spool', () => agent.stats().spool.backlog >= 3 && agent.stats().spool.backlog, 20_000);

    await lw.terminals.setEnabled('T-AG-2', true);
    await waitFor('the spool to drain', () => agent.stats().publisher.sent >= waiting && agent.stats().spool.backlog === 0, 20_000);
    const lift = await lw.get<LiftSummary>('/api/lifts/AG-2');
    expect(lift.recordsTotal).toBeGreaterThanOrEqual(waiting);
    expect(agent.stats().publisher.connects).toBe(1);
    await agent.close();
  });
});
