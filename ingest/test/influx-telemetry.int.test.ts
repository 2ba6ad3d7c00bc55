import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { startInfluxDb, startVictoriaMetrics, type RunningServer } from '@liftwatch/test-kit/servers';
import { createInfluxTelemetry, type TelemetryRow } from '../src/index.js';
import { telemetryStoreContract } from './telemetry-store-contract.js';

// InfluxDB 1.6 from Debian: line protocol over /write (v1) and InfluxQL over /query.
telemetryStoreContract('InfluxDB 1.6 (v1 write, InfluxQL)', async () => {
  const server = await startInfluxDb('liftwatch');
  const store = createInfluxTelemetry({ writeUrl: server.url, writeApi: 'v1', database: 'liftwatch' });
  return { store, close: async () => { await store.close(); await server.stop(); } };
});

/** Reads back what VictoriaMetrics stored, through its export API. */
async function exported(vm: RunningServer): Promise<Array<{ metric: Record<string, string>; values: number[]; timestamps: number[] }>> {
  await fetch(`${vm.url}/internal/force_flush`);
  const res = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent('{__name__=~"lift_.*"}')}`);
  return (await res.text()).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { metric: Record<string, string>; values: number[]; timestamps: number[] });
}

describe('InfluxDB v2 write path (@influxdata/influxdb-client) into VictoriaMetrics', () => {
  let vm: RunningServer;
  const ts = Date.now() - 60_000;
  const rows: TelemetryRow[] = [1, 2, 3].map((seq) => ({ liftId: 'VM-1', stream: 'trip', seq, ts: ts + seq * 1000, rx: ts, record: { ...GOLDEN.trip, liftId: 'VM-1', seq, ts: ts + seq * 1000, stopErrMm: seq } as unknown as Record<string, unknown> }));
  beforeAll(async () => { vm = await startVictoriaMetrics(); });
  afterAll(async () => vm?.stop());

  it('lands every point with its fields, tag and time', async () => {
    const store = createInfluxTelemetry({ writeUrl: vm.url, writeApi: 'v2', database: 'liftwatch', token: 'unused' });
    expect(await store.write(rows)).toBeUndefined();
    const series = await (async () => {
      for (let i = 0; i < 150; i++) {
        const s = await exported(vm);
        if (s.some((x) => x.metric['__name__'] === 'lift_trip_stopErrMm' && x.values.length === 3)) return s;
        await new Promise((r) => setTimeout(r, 200));
      }
      return exported(vm);
    })();
    const stopErr = series.find((s) => s.metric['__name__'] === 'lift_trip_stopErrMm');
    expect(stopErr?.metric['liftId']).toBe('VM-1');
    expect(stopErr?.values).toEqual([1, 2, 3]);
    expect(stopErr?.timestamps).toEqual(rows.map((r) => r.ts));
    expect(series.find((s) => s.metric['__name__'] === 'lift_trip_seq')?.values).toEqual([1, 2, 3]);
    await store.close();
  });

  it('lands two records of one lift and stream in the same millisecond as two samples at that millisecond', async () => {
    const store = createInfluxTelemetry({ writeUrl: vm.url, writeApi: 'v2', database: 'liftwatch', token: 'unused' });
    const at = ts + 30_000;
    const pair: TelemetryRow[] = [71, 72].map((seq) => ({ liftId: 'VM-2', stream: 'door', seq, ts: at, rx: at, record: { ...GOLDEN.door, liftId: 'VM-2', seq, ts: at, closeS: seq / 10 } as unknown as Record<string, unknown> }));
    await store.write(pair);
    for (let i = 0; i < 150; i++) {
      const closeS = (await exported(vm)).find((x) => x.metric['__name__'] === 'lift_door_closeS' && x.metric['liftId'] === 'VM-2');
      if (closeS?.values.length === 2) {
        expect([...closeS.values].sort()).toEqual([7.1, 7.2]);
        expect(closeS.timestamps).toEqual([at, at]); // the seq below the millisecond is not read as time
        return store.close();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('VictoriaMetrics did not show both records');
  });

  it('holds a write while the server is down for a while and completes it when the server is back', async () => {
    const lines: string[] = [];
    const store = createInfluxTelemetry({ writeUrl: vm.url, writeApi: 'v2', database: 'liftwatch', token: 'unused', minRetryDelayMs: 100, maxRetryDelayMs: 500, log: (l) => lines.push(l) });
    const port = vm.port;
    const dataDir = (vm.process.spawnargs.find((a) => a.startsWith('-storageDataPath=')) ?? '').split('=')[1]!;
    await vm.stop({ keepData: true });
    const late: TelemetryRow = { ...rows[0]!, seq: 9, ts: ts + 9000, record: { ...rows[0]!.record, seq: 9, ts: ts + 9000, stopErrMm: 99 } };
    let done = false;
    const pending = store.write([late]).then(() => { done = true; });
    await waitFor('three tries refused', () => store.counters.retries > 2); // down for a while (the retry loop allows 2 minutes)
    expect(done).toBe(false);
    vm = await startVictoriaMetrics(port, dataDir);
    await pending;
    expect(lines[0]).toMatch(/refused a write .* retrying with backoff, acknowledgements wait/);
    expect(lines.at(-1)).toMatch(/takes writes again/);
    for (let i = 0; i < 150; i++) {
      const s = (await exported(vm)).find((x) => x.metric['__name__'] === 'lift_trip_stopErrMm');
      if (s?.values.includes(99)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the point written during the outage never landed');
  });
});
