import { describe, expect, it } from 'vitest';
import { decodePoint, planReads, resolveModbusProfile, type ModbusProfile, type ResolvedPoint } from '../src/index.js';

const base: ModbusProfile = {
  description: 'test profile', source: 'a test', periods: { env: 60 },
  points: [{ to: 'env.machineRoomTempC', table: 'input', address: 0, type: 'int16', scale: 0.1, unit: '°C' }],
};
const resolve = (p: Partial<ModbusProfile>) => resolveModbusProfile({ ...base, ...p }, 'p.json');
const point = (p: ModbusProfile['points'][number]) => resolve({ points: [p] }).points[0]!;

describe('Modbus profiles', () => {
  it('resolve points to contract fields, with their periods', () => {
    const r = resolve({});
    expect(r.points[0]).toMatchObject({ target: { stream: 'env', field: 'machineRoomTempC', unit: '°C' }, width: 1 });
    expect(r.periodsMs.get('env')).toBe(60_000);
  });

  it('name the entry that is wrong: an unknown field, a unit that is not the field\'s, a stream without a period', () => {
    expect(() => resolve({ points: [{ to: 'env.roomTemp', table: 'input', address: 0, type: 'int16' }] })).toThrow(/p.json points\[0\] \(env.roomTemp\): env.roomTemp is not a field of the env stream/);
    expect(() => resolve({ points: [{ to: 'env.machineRoomTempC', table: 'input', address: 0, type: 'int16', unit: 'K' }] })).toThrow(/values are in "K" but env.machineRoomTempC is in °C/);
    expect(() => resolve({ points: [{ to: 'counters.tripsTotal', table: 'input', address: 0, type: 'uint32' }] })).toThrow(/points write counters but "periods" gives no period for it/);
    expect(() => resolve({ points: [{ to: 'env.pitWater', table: 'holding', address: 0, type: 'uint16' }] })).toThrow(/env.pitWater is a boolean: read it with type "bool"/);
    expect(() => resolve({ points: [{ to: 'env.pitWater', table: 'holding', address: 0, type: 'bool' }] })).toThrow(/needs "bit"/);
    expect(() => resolve({ periods: {}, points: [{ ...base.points[0]!, table: 'tank' as 'input' }] })).toThrow(/LW_ERR|not a Modbus profile \(\/points\/0/);
  });

  it('need every required field of a stream, from a point or a constant', () => {
    const status = { periods: { status: 1 }, points: [{ to: 'status.floor', table: 'holding' as const, address: 0, type: 'int16' as const }] };
    expect(() => resolve(status)).toThrow(/a status record needs serviceMode, direction, speedMps, doorZone, carDoor/);
    expect(() => resolve({ periods: { status: 1 }, points: [{ to: 'status.direction', table: 'holding', address: 0, type: 'uint16', enum: { 0: 'none', 1: 'sideways' } }] }))
      .toThrow(/enum value\(s\) "sideways" are not status.direction values \(none, up, down\)/);
  });

  it('ship a sensor-kit profile and a controller example that resolve', async () => {
    const { loadModbusProfile } = await import('../src/index.js');
    for (const f of ['sensor-kit', 'controller-gbt24476-example']) expect(loadModbusProfile(new URL(`../profiles/${f}.json`, import.meta.url).pathname).points.length).toBeGreaterThan(5);
  });
});

describe('Modbus reads', () => {
  const at = (address: number, type: ResolvedPoint['type'] = 'uint16', table: ResolvedPoint['table'] = 'holding') =>
    ({ ...point({ to: 'env.machineRoomTempC', table, address, type }), type, width: type.endsWith('32') ? 2 : 1 }) as ResolvedPoint;

  it('group near addresses of a table into one read, and split far ones and other tables', () => {
    const plan = planReads([at(0), at(5), at(40), at(41, 'float32'), at(0, 'uint16', 'input')]);
    expect(plan.map((b) => [b.table, b.address, b.length, b.points.length])).toEqual([['holding', 0, 6, 2], ['holding', 40, 3, 2], ['input', 0, 1, 1]]);
  });

  it('never ask for more than 125 registers in one read', () => {
    const plan = planReads(Array.from({ length: 200 }, (_, i) => at(i)));
    expect(plan.map((b) => b.length)).toEqual([125, 75]);
  });

  it('decode signed, 32-bit and float values in either word order, bits and enumerations', () => {
    const block = { table: 'holding' as const, address: 0, length: 4, points: [] };
    expect(decodePoint(at(0, 'int16'), [0xffce], block, 'big')).toEqual({ ok: true, value: -50 });
    expect(decodePoint({ ...at(0, 'int16'), scale: 0.1 }, [0xffce], block, 'big')).toEqual({ ok: true, value: -5 });
    const float = [0x41c8, 0x0000]; // 25.0 as IEEE 754, high word first
    expect(decodePoint({ ...at(0, 'float32'), scale: 1 }, float, block, 'big')).toEqual({ ok: true, value: 25 });
    expect(decodePoint({ ...at(0, 'float32'), scale: 1 }, [float[1]!, float[0]!], block, 'little')).toEqual({ ok: true, value: 25 });
    expect(decodePoint({ ...at(0, 'uint32'), scale: 1 }, [0x0001, 0x0002], block, 'big')).toEqual({ ok: true, value: 65_538 });
    const lim = resolve({ periods: { status: 1 }, points: [
      { to: 'status.finalLimitUp', table: 'holding', address: 8, type: 'bool', bit: 1 },
      { to: 'status.direction', table: 'holding', address: 1, type: 'uint16', enum: { 0: 'none', 1: 'up', 2: 'down' } },
      { to: 'status.serviceMode', value: 'normal' }, { to: 'status.floor', value: 0 }, { to: 'status.speedMps', value: 0 }, { to: 'status.doorZone', value: true }, { to: 'status.carDoor', value: 'closed' },
    ] }).points;
    const b8 = { table: 'holding' as const, address: 8, length: 1, points: [] };
    expect(decodePoint(lim[0]!, [0b10], b8, 'big')).toEqual({ ok: true, value: true });
    expect(decodePoint(lim[0]!, [0b01], b8, 'big')).toEqual({ ok: true, value: false });
    const b1 = { table: 'holding' as const, address: 1, length: 1, points: [] };
    expect(decodePoint(lim[1]!, [2], b1, 'big')).toEqual({ ok: true, value: 'down' });
    expect(decodePoint(lim[1]!, [7], b1, 'big')).toMatchObject({ ok: false, reason: expect.stringContaining('7 is not in the profile\'s enum for status.direction') });
  });
});
