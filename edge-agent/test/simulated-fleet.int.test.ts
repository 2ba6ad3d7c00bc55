import { describe, expect, it, onTestFinished } from 'vitest';
import { liftTopic } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startSimulatedFleet } from '../src/index.js';
import { startRecordingBroker } from './recording-broker.js';

describe('the demo fleet of npm start -- --simulate N', () => {
  it('runs each simulated lift behind an edge agent: connected, records with rising seqs, a registry, clean stop', async () => {
    const broker = await startRecordingBroker();
    onTestFinished(() => broker.close());
    const fleet = startSimulatedFleet({ brokerUrl: broker.url, count: 4, seed: 2, p1PerMinute: 0, tickMs: 50 });
    expect(fleet.liftIds).toEqual(['SIM-0001', 'SIM-0002', 'SIM-0003', 'SIM-0004']);
    await waitFor('every terminal connected', () => fleet.connected() === 4, 20_000);
    await waitFor('a registry and a device record from every lift', () => fleet.liftIds.every((id) => {
      const recs = [...(broker.received.get(id)?.values() ?? [])].map((c) => JSON.parse(c[0]!) as Record<string, unknown>);
      return recs.some((r) => r['ratedSpeedMps'] !== undefined) && recs.some((r) => r['fwVersion'] === 'liftwatch-edge-0.1.0');
    }), 20_000);
    for (const id of fleet.liftIds) {
      const order = broker.arrivals(id);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(fleet.stats()).toMatchObject({ terminals: 4, injected: 0 });
    expect(fleet.stats().published).toBeGreaterThanOrEqual(8);
    await fleet.stop();
    expect(liftTopic('SIM-0001', 'presence')).toBe('lift/v1/SIM-0001/presence');
  });
});
