import { describe, expect, it } from 'vitest';
import { GOLDEN_CONFIG } from '@liftwatch/contract';
import { decideConfig, readCommand } from '../src/downlink.js';
import type { SensorSource } from '../src/sources/source.js';

const source: SensorSource = { kind: 'test', start: () => {}, stop: async () => {}, checkConfig: (c) => (c.statusMovingS === 0.2 ? 'statusMovingS 0.2 s is too short here' : undefined) };
const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
const none = { applied: undefined, refused: undefined };

describe('what a terminal does with a message from the platform', () => {
  it('applies a newer valid config, refuses a bad value or one its source cannot follow, and ignores what it cannot answer or saw before', () => {
    expect(decideConfig(bytes({ ...GOLDEN_CONFIG, configVersion: 4 }), none, source)).toMatchObject({ kind: 'apply', config: { configVersion: 4 } });
    expect(decideConfig(bytes({ ...GOLDEN_CONFIG, configVersion: 4, deviceS: 1 }), none, source)).toMatchObject({ kind: 'reject', configVersion: 4, reason: expect.stringContaining('config.deviceS') });
    expect(decideConfig(bytes({ ...GOLDEN_CONFIG, configVersion: 4, statusMovingS: 0.2 }), none, source)).toEqual({ kind: 'reject', configVersion: 4, reason: 'statusMovingS 0.2 s is too short here' });
    expect(decideConfig(bytes({ ...GOLDEN_CONFIG, configVersion: 4 }), { applied: 3, refused: 4 }, source)).toMatchObject({ kind: 'ignore', reason: 'version 4 was seen before' });
    expect(decideConfig(bytes({ ...GOLDEN_CONFIG, configVersion: -1 }), none, source)).toMatchObject({ kind: 'ignore' });
    expect(decideConfig(Buffer.from('{'), none, source)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('not valid UTF-8 JSON') });
  });

  it('reads a command, and names what is wrong with one it cannot run', () => {
    expect(readCommand(bytes({ schemaVersion: 1, cmdId: 'c', ts: Date.now(), cmd: 'restart' }))).toMatchObject({ ok: true, cmd: { cmd: 'restart' } });
    expect(readCommand(bytes({ schemaVersion: 1, cmdId: 'c', ts: Date.now(), cmd: 'openDoors' }))).toMatchObject({ ok: false, reason: expect.stringContaining('cmd.cmd') });
  });
});
