import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, tempDir, waitFor } from '@liftwatch/test-kit';
import { createModbusSource, loadModbusProfile, type RecordDraft } from '../src/index.js';
import { startModbusSerialServer, type DeviceState } from './modbus-server.js';

/** Debian's socat joining two addresses: a pty pair (a serial cable), or a pty and a TCP port (a serial-to-Ethernet converter). */
async function socat(args: string[], ready: () => boolean): Promise<void> {
  const child = spawn('socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  onTestFinished(() => { child.kill('SIGTERM'); });
  await waitFor(`socat ${args.join(' ')} (${err})`, () => ready() || (child.exitCode !== null ? Promise.reject(new Error(err)) : false), 15_000);
}

const sensorKit = (): DeviceState => ({ holding: new Map(), input: new Map([[0, 215], [1, 456], [2, 3820], [3, 612], [4, 103], [10, 0], [11, 42], [12, 0x4120], [13, 0]]), silent: false });

async function firstEnv(endpoint: string): Promise<Record<string, unknown>> {
  const source = createModbusSource({ endpoint, profile: loadModbusProfile(new URL('../profiles/sensor-kit.json', import.meta.url).pathname), timeoutMs: 500 });
  const emitted: RecordDraft[] = [];
  source.start({ emit: (d) => emitted.push(...d), trip: () => {}, door: () => {}, log: () => {} });
  onTestFinished(() => source.stop());
  const env = await waitFor('an env record', () => emitted.find((d) => d.stream === 'env'), 10_000);
  expect(emitted.find((d) => d.stream === 'counters')?.record).toEqual({ tripsTotal: 42, runHoursTotal: 10 });
  return env.record;
}

const expectedEnv = { machineRoomTempC: 21.5, machineRoomRhPct: 45.6, supplyVoltageV: 382, motorWindingTempC: 61.2, vibrationDb: 10.3, pitWater: false };

describe('the Modbus source over RTU (modbus-serial\'s serial server behind socat)', () => {
  it('reads the sensor kit over a serial line (rtu:///dev/…)', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const [a, b] = [join(dir.path, 'tty-device'), join(dir.path, 'tty-agent')];
    await socat([`PTY,link=${a},raw,echo=0`, `PTY,link=${b},raw,echo=0`], () => existsSync(a) && existsSync(b));
    const server = await startModbusSerialServer(a, sensorKit());
    onTestFinished(() => server.close());
    expect(await firstEnv(`rtu://${b}?baud=9600`)).toEqual(expectedEnv);
  });

  it('reads the sensor kit through a serial-to-Ethernet converter (rtu-tcp://host:port)', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const tty = join(dir.path, 'tty-device');
    const port = await freePort();
    await socat([`PTY,link=${tty},raw,echo=0`, `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`], () => existsSync(tty));
    const server = await startModbusSerialServer(tty, sensorKit());
    onTestFinished(() => server.close());
    expect(await firstEnv(`rtu-tcp://127.0.0.1:${port}`)).toEqual(expectedEnv);
  });
});
