import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GOLDEN_CONFIG, liftTopic, validateRecord } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createCsvSource, createEdgeAgent, createSimSource, type SensorSource, type SourceSink } from '../src/index.js';
import { fault, simulatedWindows } from './sim-windows.js';
import { HUAWEI_CSV } from './data.js';
import { startRecordingBroker } from './recording-broker.js';

async function setUp() {
  const broker = await startRecordingBroker();
  onTestFinished(() => broker.close());
  const dir = tempDir();
  onTestFinished(() => dir.remove());
  return { broker, dir };
}
const records = (broker: Awaited<ReturnType<typeof startRecordingBroker>>, liftId: string) =>
  [...(broker.received.get(liftId)?.values() ?? [])].map((copies) => JSON.parse(copies[0]!) as Record<string, unknown>);

describe('the edge agent', () => {
  it('replays the Huawei CSV file through the spool: one valid env record per minute of samples, arrays when busy', async () => {
    const { broker, dir } = await setUp();
    const source = createCsvSource({ path: HUAWEI_CSV, speed: 0 });
    const agent = createEdgeAgent({ brokerUrl: broker.url, liftId: 'CSV-1', spoolPath: join(dir.path, 'spool.db'), firstSeq: 1 }, { source });
    agent.start();
    await waitFor('every window', () => records(broker, 'CSV-1').filter((r) => r['machineRoomRhPct'] !== undefined).length === 467, 20_000);
    const stats = agent.stats();
    await agent.close();
    expect(source.summary()).toMatchObject({ rowsRead: 112_001, rowsRejected: 5_763 });
    for (const r of records(broker, 'CSV-1')) {
      const stream = r['machineRoomRhPct'] === undefined ? 'device' : 'env';
      expect(validateRecord(stream, 'CSV-1', r)).toMatchObject({ ok: true });
    }
    // A backlog of 468 records went in far fewer messages (JSON arrays).
    expect(stats.publisher.messages).toBeLessThan(100);
  });

  it('applies the retained config without a restart, acknowledges it in a device record, and keeps it across a restart', async () => {
    const { broker, dir } = await setUp();
    const liftId = 'CFG-1';
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 3, deviceS: 600 }), true);
    const spoolPath = join(dir.path, 'spool.db');
    const start = () => {
      const agent = createEdgeAgent({ brokerUrl: broker.url, liftId, spoolPath }, { source: createSimSource({ liftId, seed: 1 }) });
      agent.start();
      return agent;
    };
    let agent = start();
    const acked = (v: number) => records(broker, liftId).some((r) => r['configVersion'] === v && r['fwVersion'] !== undefined);
    await waitFor('the device record acknowledging config 3', () => acked(3));
    expect(agent.appliedConfig()?.deviceS).toBe(600);

    // A new version, while running: applied and acknowledged at once.
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 4, deviceS: 30, statusIdleS: 5 }), true);
    await waitFor('the device record acknowledging config 4', () => acked(4));
    expect(agent.appliedConfig()).toMatchObject({ configVersion: 4, deviceS: 30, statusIdleS: 5 });

    // A config with a bad value is refused with the reason, in a device record; the applied one stays.
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 5, deviceS: -1 }), true);
    await waitFor('the refusal of config 5', () => records(broker, liftId).some((r) => r['configRejectedVersion'] === 5));
    expect(records(broker, liftId).find((r) => r['configRejectedVersion'] === 5)).toMatchObject({ configVersion: 4, configRejectedReason: expect.stringContaining('config.deviceS') });
    expect(agent.appliedConfig()?.configVersion).toBe(4);
    await agent.close();

    // After a restart the applied config is known before the broker is reached.
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 4, deviceS: 30, statusIdleS: 5 }), true);
    agent = start();
    expect(agent.appliedConfig()?.configVersion).toBe(4);
    await agent.close();
  });

  it('summarises raw trips and door cycles at the edge; sends raw windows on anomaly, on request, and per the remote thresholds', async () => {
    const { broker, dir } = await setUp();
    const liftId = 'RAW-1';
    let sink: SourceSink | undefined;
    const source: SensorSource = { kind: 'raw-test', start: (s) => { sink = s; }, stop: async () => {} };
    const agent = createEdgeAgent({ brokerUrl: broker.url, liftId, spoolPath: join(dir.path, 'spool.db') }, { source });
    agent.start();
    const byStream = (stream: string) => records(broker, liftId).filter((r) => stream === 'wave' ? r['channel'] !== undefined : stream === 'trip' ? r['vMaxMps'] !== undefined : r['closeS'] !== undefined);
    await waitFor('connected', () => agent.stats().publisher.connected);

    const healthy = simulatedWindows();
    const smooth = healthy.trips.find((t) => t.record.vibA95XMps2! < 0.1 && t.record.vibA95YMps2! < 0.1 && t.record.vibA95ZMps2! < 0.1)!;
    const rough = simulatedWindows({ faults: [fault('rollerFlatSpot', 1.2)] }).trips.find((t) => t.record.vibA95XMps2! > 0.2)!;
    sink!.trip(smooth.raw); // a smooth ride: its summary only
    sink!.door(healthy.doors[0]!.raw);
    await waitFor('the trip and door records', () => byStream('trip').length === 1 && byStream('door').length === 1);
    expect(byStream('wave')).toHaveLength(0);
    expect(byStream('trip')[0]).toMatchObject({ liftId, fromFloor: smooth.record.fromFloor, toFloor: smooth.record.toFloor, relevels: smooth.record.relevels });

    sink!.trip(rough.raw); // horizontal A95 above 0.15: raw windows go up (x, y, z, motor current)
    await waitFor('the raw windows of the rough trip', () => byStream('wave').length === 4);

    await broker.publish(liftTopic(liftId, 'cmd'), JSON.stringify({ schemaVersion: 1, cmdId: 'c1', ts: Date.now(), cmd: 'sendWave' }));
    await waitFor('the raw windows on request', () => byStream('wave').length === 8);

    const above = Math.ceil(10 * Math.max(rough.record.vibA95XMps2!, rough.record.vibA95YMps2!, rough.record.vibA95ZMps2!)) / 10 + 0.1;
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 9, waveVibA95ZMps2: above, waveVibA95XYMps2: above }), true);
    await waitFor('config 9 applied', () => agent.appliedConfig()?.configVersion === 9);
    sink!.trip(rough.raw); // under the new thresholds: no windows
    await waitFor('the third trip', () => byStream('trip').length === 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(byStream('wave')).toHaveLength(8);
    expect(agent.stats().edge).toEqual({ trips: 3, doors: 1, waveWindows: 8 });
    await agent.close();
  });

  it('sends only the streams its config enables, refuses a period its source cannot read, and answers selfTest and restart in device records', async () => {
    const { broker, dir } = await setUp();
    const liftId = 'CMD-1';
    const agent = createEdgeAgent({ brokerUrl: broker.url, liftId, spoolPath: join(dir.path, 'spool.db') }, { source: createSimSource({ liftId, seed: 3, speed: 60, tickMs: 250 }) });
    agent.start();
    const statuses = () => records(broker, liftId).filter((r) => r['speedMps'] !== undefined);
    await waitFor('status records', () => statuses().length > 0);

    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 1, enabledStreams: ['fault', 'alarm'] }), true);
    await waitFor('config 1 acknowledged', () => records(broker, liftId).some((r) => r['configVersion'] === 1));
    const ackSeq = records(broker, liftId).find((r) => r['configVersion'] === 1)!['seq'] as number;
    await waitFor('status records held back', () => agent.stats().streamsOff > 0);
    expect(statuses().filter((r) => (r['seq'] as number) > ackSeq)).toEqual([]);

    // The simulator reads the lift every 0.25 s: a status every 0.1 s is refused, naming the value.
    await broker.publish(liftTopic(liftId, 'config'), JSON.stringify({ ...GOLDEN_CONFIG, configVersion: 2, statusMovingS: 0.1 }), true);
    await waitFor('config 2 refused', () => records(broker, liftId).some((r) => r['configRejectedVersion'] === 2));
    expect(records(broker, liftId).find((r) => r['configRejectedVersion'] === 2)).toMatchObject({ configVersion: 1, configRejectedReason: 'statusMovingS 0.1 s is shorter than this terminal reads the lift (every 0.25 s): give at least 0.25' });

    await broker.publish(liftTopic(liftId, 'cmd'), JSON.stringify({ schemaVersion: 1, cmdId: 'st-1', ts: Date.now(), cmd: 'selfTest' }));
    await waitFor('the self-test result', () => records(broker, liftId).some((r) => r['cmdId'] === 'st-1'));
    expect(records(broker, liftId).find((r) => r['cmdId'] === 'st-1')).toMatchObject({ cmdOk: true, cmdDetail: 'the simulated alarm device answered' });

    await broker.publish(liftTopic(liftId, 'cmd'), JSON.stringify({ schemaVersion: 1, cmdId: 'rs-1', ts: Date.now(), cmd: 'restart' }));
    await waitFor('the restart result', () => records(broker, liftId).some((r) => r['cmdId'] === 'rs-1'));
    expect(records(broker, liftId).find((r) => r['cmdId'] === 'rs-1')).toMatchObject({ cmdOk: true, cmdDetail: expect.stringMatching(/^software started again at /), configVersion: 1 });
    expect(agent.stats()).toMatchObject({ restarts: 1, configVersion: 1 });
    await agent.close();
  });
});
