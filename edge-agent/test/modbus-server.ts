import modbusSerial from 'modbus-serial';

/** Registers of a test device; `silent` makes it accept requests and never answer. */
export interface DeviceState {
  holding: Map<number, number>;
  input: Map<number, number>;
  silent: boolean;
}

/** The server side of a test device: reads of `state`, through modbus-serial's callback interface. */
function deviceVector(state: DeviceState) {
  // Callback forms: a silent device never calls back, so the client's request times out.
  type Cb<T> = (err: Error | null, value: T) => void;
  const many = (table: () => Map<number, number>) => (addr: number, length: number, _unit: number, cb: Cb<number[]>) => {
    if (!state.silent) cb(null, Array.from({ length }, (_, i) => table().get(addr + i) ?? 0));
  };
  const one = (table: () => Map<number, number>) => (addr: number, _unit: number, cb: Cb<number>) => {
    if (!state.silent) cb(null, table().get(addr) ?? 0);
  };
  const vector = {
    getHoldingRegister: one(() => state.holding),
    getInputRegister: one(() => state.input),
    getMultipleHoldingRegisters: many(() => state.holding),
    getMultipleInputRegisters: many(() => state.input),
    getCoil: (_addr: number, _unit: number, cb: Cb<boolean>) => { if (!state.silent) cb(null, false); },
    getDiscreteInput: (_addr: number, _unit: number, cb: Cb<boolean>) => { if (!state.silent) cb(null, false); },
  };
  return vector;
}

/**
 * A real Modbus TCP server (modbus-serial's ServerTCP) on a loopback port, serving `state`. It can be
 * closed and started again on the same port, as a device that is switched off and on.
 */
export async function startModbusServer(port: number, state: DeviceState) {
  const vector = deviceVector(state);
  const server = new modbusSerial.ServerTCP(vector, { host: '127.0.0.1', port, unitID: 1 });
  server.on('socketError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('serverError', reject);
  });
  return {
    async close(): Promise<void> {
      // Drop the clients too: a switched-off device does not keep its connections.
      for (const sock of server.socks.keys()) sock.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real Modbus RTU server (modbus-serial's ServerSerial, unit 1) on a serial line such as one end of a socat pty pair. */
export async function startModbusSerialServer(path: string, state: DeviceState, baudRate = 9600) {
  const server = new modbusSerial.ServerSerial(deviceVector(state), { path, baudRate, unitID: 1 });
  server.on('socketError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('error', reject);
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
