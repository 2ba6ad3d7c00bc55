import modbusSerial from 'modbus-serial';
import { lwError } from '@liftwatch/contract';
import type { ModbusTable } from './modbus-profile.js';

/**
 * Where the device is:
 * - `tcp://host:502`: Modbus TCP (MBAP header, Modbus Messaging on TCP/IP Implementation Guide v1.0b);
 * - `rtu-tcp://host:4001`: RTU frames (with CRC) through a serial-to-Ethernet converter;
 * - `rtu:///dev/ttyUSB0?baud=9600&parity=even&stopBits=1`: RTU on a serial line (needs the optional
 *   serialport package, which npm installs with its prebuilt binary for Linux, macOS and Windows).
 */
// modbus-serial is CommonJS: its module object is the client class, and `.default` is the same class.
const ModbusRTU = modbusSerial.default;
type ModbusClient = InstanceType<typeof ModbusRTU>;

export interface ModbusEndpoint {
  readonly kind: 'tcp' | 'rtu-tcp' | 'rtu';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly serial: { baudRate: number; parity: 'none' | 'even' | 'odd'; dataBits: 7 | 8; stopBits: 1 | 2 };
}

export function parseEndpoint(url: string): ModbusEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw lwError('LW_ERR_CONFIG_INVALID', `--modbus is ${JSON.stringify(url)}: give tcp://host:port, rtu-tcp://host:port or rtu:///dev/ttyUSB0?baud=9600`);
  }
  const kind = u.protocol.slice(0, -1);
  if (kind !== 'tcp' && kind !== 'rtu-tcp' && kind !== 'rtu') throw lwError('LW_ERR_CONFIG_INVALID', `--modbus ${url} uses ${u.protocol}; use tcp:, rtu-tcp: or rtu:`);
  const parity = u.searchParams.get('parity') ?? 'none';
  if (parity !== 'none' && parity !== 'even' && parity !== 'odd') throw lwError('LW_ERR_CONFIG_INVALID', `--modbus parity is ${JSON.stringify(parity)}: use none, even or odd`);
  return {
    kind, host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (kind === 'tcp' ? 502 : 4001)), path: decodeURIComponent(u.pathname),
    serial: {
      baudRate: Number(u.searchParams.get('baud') ?? 9600), parity,
      dataBits: u.searchParams.get('dataBits') === '7' ? 7 : 8, stopBits: u.searchParams.get('stopBits') === '2' ? 2 : 1,
    },
  };
}

/** One connection to one device (unit id), opened on demand and dropped on any failure. */
export function createModbusLink(endpoint: ModbusEndpoint, unitId: number, timeoutMs: number) {
  let client: ModbusClient | undefined;

  async function open(): Promise<ModbusClient> {
    const c = new ModbusRTU();
    c.setTimeout(timeoutMs);
    try {
      if (endpoint.kind === 'tcp') await c.connectTCP(endpoint.host, { port: endpoint.port, timeout: timeoutMs });
      else if (endpoint.kind === 'rtu-tcp') await c.connectTelnet(endpoint.host, { port: endpoint.port }); // raw RTU frames over TCP (modbus-serial's TelnetPort)
      else await c.connectRTUBuffered(endpoint.path, endpoint.serial);
    } catch (err) {
      if (c.isOpen) c.close(() => {});
      throw err;
    }
    c.setID(unitId);
    return c;
  }

  return {
    /** Reads `length` registers or bits of a table; throws LW_ERR_DEVICE_UNAVAILABLE with the reason. */
    async read(table: ModbusTable, address: number, length: number): Promise<readonly number[] | readonly boolean[]> {
      try {
        client ??= await open();
        if (table === 'holding') return (await client.readHoldingRegisters(address, length)).data;
        if (table === 'input') return (await client.readInputRegisters(address, length)).data;
        if (table === 'coil') return (await client.readCoils(address, length)).data.slice(0, length);
        return (await client.readDiscreteInputs(address, length)).data.slice(0, length);
      } catch (err) {
        this.close();
        const why = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
        throw lwError('LW_ERR_DEVICE_UNAVAILABLE', `${table} ${address}+${length} of unit ${unitId}: ${why}`, err);
      }
    },
    connected: () => client?.isOpen === true,
    close(): void {
      const c = client;
      client = undefined;
      if (c?.isOpen) c.close(() => {});
    },
  };
}

export type ModbusLink = ReturnType<typeof createModbusLink>;
