import { describe, expect, it } from 'vitest';
import { runScaleOut } from '../scale-out/cluster.js';

// The scale-out benchmark at test size: two liftwatch processes (broker + ingest) behind HAProxy with Redis,
// PostgreSQL and victoria-metrics; node 1 is killed mid-run. The benchmark (bench/scale-out.ts) runs
// the same at city size and reports the figures.
describe('two broker+ingest nodes, one killed mid-run', () => {
  it('loses no acknowledged record, stores none twice, and the killed node\'s terminals go on through the other node', async () => {
    const r = await runScaleOut({ nodes: 2, lifts: 400, rate: 300, seconds: 12, loaders: 1, connections: 12, killAtS: 5 });
    const why = JSON.stringify({ ...r, perNode: r.perNode }, null, 1);
    // Everything published was acknowledged in the end, through reconnects.
    expect(r.unacked, why).toBe(0);
    expect(r.acked, why).toBe(r.published);
    // Every seq 1…n of every lift is in victoria-metrics, and nothing else is.
    expect(r.lost, why).toBe(0);
    expect(r.unknown, why).toBe(0);
    expect(r.storedDistinct, why).toBe(r.published);
    // Twice only what the terminals sent again because node 1 died before its PUBACK (QoS 1 is at
    // least once; InfluxDB keeps such a record as one point): never a message ingested by two nodes.
    expect(r.doubledNotResent, why).toBe(0);
    expect(r.doubled, why).toBeLessThanOrEqual(r.resent);
    // Both nodes carried load before the kill, and the survivor went on storing after it.
    expect(r.perNode[0]!.killed).toBe(true);
    expect(r.perNode[0]!.stored, why).toBeGreaterThan(0);
    expect(r.perNode[1]!.stored, why).toBeGreaterThan(r.published / 2);
    // HAProxy spread the connections over both nodes, and every one of them ended up on node 2.
    expect(r.kill!.clientsOnKilled, why).toBeGreaterThan(0);
    expect(r.reconnects, why).toBeGreaterThanOrEqual(r.kill!.clientsOnKilled);
    expect(r.kill!.clientsOnSurvivorsAfter, why).toBe(r.kill!.connections);
  }, 180_000);
});
