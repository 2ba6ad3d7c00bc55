import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@liftwatch/test-kit';
import { formatStatus, startAgentFleet, type AgentFleet } from '../src/index.js';
import { startRecordingBroker } from './recording-broker.js';

describe('a simulated fleet in one process', () => {
  it('connects every terminal, sends each lift\'s records under its own rising seqs, and reports a status line', async () => {
    const broker = await startRecordingBroker();
    onTestFinished(() => broker.close());
    const fleet: AgentFleet = startAgentFleet({ brokerUrl: broker.url, count: 20, seed: 5, trafficScale: 10, speed: 60 });
    onTestFinished(() => fleet.stop());
    await waitFor('every terminal connected', () => fleet.status().connected === 20, 20_000);
    await waitFor('records from every lift', () => fleet.agents.every((a) => broker.count(a.liftId) >= 3), 20_000);
    // The broker may hold a record before its acknowledgement reaches the agent: wait for the count.
    await waitFor('60 acknowledged records', () => fleet.status().sent >= 60, 20_000);
    const status = fleet.status();
    expect(formatStatus(status)).toMatch(/^connected 20\/20 {2}sent \d+ {2}spooled \d+ {2}rate \d+\/s$/);
    for (const a of fleet.agents) {
      const order = broker.arrivals(a.liftId);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
