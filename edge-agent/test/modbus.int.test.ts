import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, tempDir, waitFor } from '@liftwatch/test-kit';
import { createEdgeAgent, createModbusSource, openSqliteSpool, resolveModbusProfile } from '../src/index.js';
import { startModbusServer, type DeviceState } from './modbus-server.js';
import { checkDelivery, startRecordingBroker } from './recording-broker.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The shipped controller example, polled every 100 ms for the test. */
function controllerProfile() {
  const json = JSON.parse(readFileSync(new URL('../profiles/controller-gbt24476-example.json', import.meta.url), 'utf8')) as { periods: Record<string, number> };
  json.periods = { status: 0.1, counters: 0.5 };
  return resolveModbusProfile(json, 'controller-gbt24476-example.json');
}

/** GB/T 24476-2017 coding: normal service, not moving, in the door zone, floor 3, door locked, nobody in, mains. */
const deviceAtFloor3 = (): DeviceState => ({
  holding: new Map([[0, 1], [1, 0], [2, 1], [3, 3], [4, 1], [5, 2], [6, 1], [7, 0], [8, 0], [20, 0], [30, 0], [31, 1234], [32, 0], [33, 5678]]),
  input: new Map(), silent: false,
});

async function setUp(state: DeviceState) {
  const broker = await startRecordingBroker();
  cleanups.push(() => broker.close());
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const port = await freePort();
  let server = await startModbusServer(port, state);
  cleanups.push(() => server.close());
  const source = createModbusSource({ endpoint: `tcp://127.0.0.1:${port}`, profile: controllerProfile(), timeoutMs: 300, backoffMs: 100, maxBackoffMs: 400 });
  const lines: string[] = [];
  const agent = createEdgeAgent({ brokerUrl: broker.url, liftId: 'MB-1', spoolPath: join(dir.path, 'spool.db'), firstSeq: 1 }, { source, log: (l) => lines.push(l) });
  agent.start();
  cleanups.push(() => agent.close(1_000));
  const records = () => [...(broker.received.get('MB-1')?.values() ?? [])].map((copies) => JSON.parse(copies[0]!) as Record<string, unknown>);
  const restart = async () => { server = await startModbusServer(port, state); };
  return { source, agent, records, lines, stop: () => server.close(), restart };
}

describe('the Modbus source against a real Modbus TCP server', () => {
  it('sends status and counters records decoded by the profile, and the controller\'s GB/T fault code as a raise and a clear', async () => {
    const state = deviceAtFloor3();
    const { records, source } = await setUp(state);
    await waitFor('a status and a counters record', () => records().some((r) => r['floor'] === 3) && records().some((r) => r['tripsTotal'] !== undefined));
    expect(records().find((r) => r['floor'] === 3)).toMatchObject({ serviceMode: 'normal', direction: 'none', doorZone: true, carDoor: 'locked', passengersPresent: false, powerSource: 'mains', speedMps: 0, finalLimitUp: false });
    expect(records().find((r) => r['tripsTotal'] !== undefined)).toMatchObject({ tripsTotal: 1234, runHoursTotal: 5678 });

    // The car moves up at 1.6 m/s, then the controller reports GB/T code 11 (entrapment), then clears it.
    state.holding.set(1, 1).set(7, 1600);
    await waitFor('a record of the car moving up', () => records().some((r) => r['direction'] === 'up' && r['speedMps'] === 1.6));
    state.holding.set(20, 11);
    await waitFor('the fault raised', () => records().some((r) => r['state'] === 'raised'));
    state.holding.set(20, 0);
    await waitFor('the fault cleared', () => records().some((r) => r['state'] === 'cleared'));
    const faults = records().filter((r) => r['detector'] === 'controller');
    expect(faults.map((r) => [r['code'], r['sourceScheme'], r['sourceCode'], r['state']])).toEqual([['E01', 'gbt24476-2017', '11', 'raised'], ['E01', 'gbt24476-2017', '11', 'cleared']]);
    expect(source.stats().failures).toBe(0);
  });

  it('backs off while the device is switched off, and resumes when it is back, the agent sending throughout', async () => {
    const state = deviceAtFloor3();
    const { records, source, stop, restart, lines, agent } = await setUp(state);
    await waitFor('first status', () => records().some((r) => r['floor'] === 3));
    await stop();
    await waitFor('failed polls with a growing wait', () => source.stats().backoffMs >= 400);
    expect(lines.filter((l) => l.includes('LW_ERR_DEVICE_UNAVAILABLE')).length).toBeLessThanOrEqual(2); // once per kind of failure
    const floorsBefore = records().length;
    state.holding.set(3, 7);
    await restart();
    await waitFor('status from floor 7 after the device came back', () => records().some((r) => r['floor'] === 7), 10_000);
    expect(source.stats().recoveries).toBe(1);
    expect(records().length).toBeGreaterThan(floorsBefore);
    expect(lines.some((l) => l.includes('the device answers again'))).toBe(true);
    expect(agent.stats().invalid).toBe(0);
  });

  it('times out on a device that takes requests and never answers, and reads again when it answers', async () => {
    const state = deviceAtFloor3();
    const { records, source } = await setUp(state);
    await waitFor('first status', () => records().some((r) => r['floor'] === 3));
    state.silent = true;
    await waitFor('a timed-out poll', () => source.stats().failures >= 2);
    expect(source.stats().lastError).toMatch(/Timed out|timed out/);
    state.silent = false;
    state.holding.set(3, 5);
    await waitFor('status from floor 5', () => records().some((r) => r['floor'] === 5), 10_000);
    expect(source.stats().recoveries).toBeGreaterThanOrEqual(1);
  });

  it('counts and logs an unknown fault code naming its scheme, and sends nothing for it', async () => {
    const state = deviceAtFloor3();
    state.holding.set(20, 99);
    const { lines, agent } = await setUp(state);
    await waitFor('the rejection', () => lines.find((l) => l.includes('GB/T 24476-2017 code "99"')));
    expect(agent.stats().invalid).toBeGreaterThanOrEqual(1);
  });

  it('keeps the spool\'s promise: a fault read while the broker is down arrives after it is back, every seq once or more, and the next device record counts the lost connection', async () => {
    const state = deviceAtFloor3();
    const broker = await startRecordingBroker();
    cleanups.push(() => broker.close());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const port = await freePort();
    const server = await startModbusServer(port, state);
    cleanups.push(() => server.close());
    const source = createModbusSource({ endpoint: `tcp://127.0.0.1:${port}`, profile: controllerProfile(), timeoutMs: 300 });
    const spoolPath = join(dir.path, 'spool.db');
    const agent = createEdgeAgent({ brokerUrl: broker.url, liftId: 'MB-2', spoolPath, firstSeq: 1, statusQos: 1, reconnectPeriodMs: 200, deviceS: 0.5 }, { source });
    agent.start();
    const received = () => [...(broker.received.get('MB-2')?.values() ?? [])].map((copies) => JSON.parse(copies[0]!) as Record<string, unknown>);
    await waitFor('records before the broker stops', () => broker.count('MB-2') >= 5);
    await broker.stop();
    state.holding.set(20, 5); // GB/T 05: unintended car movement, read while the broker is down
    await waitFor('the fault in the spool', () => agent.stats().spool.backlog >= 5);
    await broker.start();
    await waitFor('the fault delivered', () => received().some((r) => r['code'] === 'E02' && r['sourceCode'] === '05'), 20_000);
    await waitFor('a device record counting the lost connection', () => received().some((r) => (r['linkDrops'] as number | undefined ?? 0) >= 1), 20_000);
    await agent.close(5_000);
    const spool = openSqliteSpool({ path: spoolPath });
    const nextSeq = spool.nextSeq('MB-2');
    spool.close();
    const { missing, conflicting } = checkDelivery(broker.received, 'MB-2', 1, nextSeq);
    expect(missing).toEqual([]);
    expect(conflicting).toEqual([]);
  });
});
