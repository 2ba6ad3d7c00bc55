import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiftwatchError } from '@liftwatch/contract';
import { tempDir } from '@liftwatch/test-kit';
import { configFromProcess, makeConfig } from '../src/config.js';
import { startLiftwatch } from '../src/liftwatch.js';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

/** Runs the real command line and returns its exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [MAIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

let busy: Server;
let busyPort: number;
const dir = tempDir();
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(() => {
  busy.close();
  dir.remove();
});

async function startError(over: Record<string, unknown>): Promise<LiftwatchError> {
  try {
    const running = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, ...over }));
    await running.close();
  } catch (err) {
    expect(err).toBeInstanceOf(LiftwatchError);
    return err as LiftwatchError;
  }
  throw new Error('start-up should have failed');
}

describe('start-up stops with one clear line', () => {
  it('when the MQTT port is taken', async () => {
    const err = await startError({ mqttPort: busyPort });
    expect(err.code).toBe('LW_ERR_PORT_IN_USE');
    expect(err.message).toContain(`MQTT port ${busyPort}`);
    expect(err.message).toContain('--mqtt-port');
  });

  it('when the HTTP port is taken, and frees the MQTT port it had opened', async () => {
    const err = await startError({ httpPort: busyPort, mqttPort: 0 });
    expect(err.code).toBe('LW_ERR_PORT_IN_USE');
    expect(err.message).toContain('--http-port');
    // everything started before the failure was closed: a second start on the same data dir works
    const running = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path }));
    await running.close();
  });

  it('when the data directory cannot be written', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'x');
    const err = await startError({ dataDir: join(file, 'data') });
    expect(err.code).toBe('LW_ERR_DATA_DIR');
    expect(err.message).toMatch(/cannot be created or written \(ENOTDIR\).*--data-dir/);
  });

  it('when a setting is wrong, naming the flag or the variable', () => {
    expect(() => configFromProcess(['--mqtt-port', 'abc'], {})).toThrow(/--mqtt-port is "abc": expected a number/);
    expect(() => configFromProcess([], { LIFTWATCH_HTTP_PORT: '70000' })).toThrow(/LIFTWATCH_HTTP_PORT is 70000: expected integer to be less or equal to 65535/);
    expect(() => configFromProcess(['--entrapment-s', '1'], {})).toThrow(/--entrapment-s is 1/);
    expect(() => configFromProcess(['--no-such-flag', '1'], {})).toThrow(/no-such-flag/);
    expect(configFromProcess(['--simulate', '200'], { LIFTWATCH_MQTT_PORT: '1884' })).toMatchObject({ simulate: 200, mqttPort: 1884, httpPort: 8080 });
  });

  it('through the real command line: exit code 1 and one line on stderr', async () => {
    const taken = await cli(['--mqtt-port', String(busyPort), '--http-port', '0', '--data-dir', dir.path]);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim().split('\n')).toHaveLength(1);
    expect(taken.stderr).toMatch(new RegExp(`^liftwatch: MQTT port ${busyPort} on 127.0.0.1 is already in use.*\\(LW_ERR_PORT_IN_USE\\)`));
    const bad = await cli(['--http-port', 'eighty']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('liftwatch: --http-port is "eighty": expected a number (LW_ERR_CONFIG_INVALID)');
  });
});
