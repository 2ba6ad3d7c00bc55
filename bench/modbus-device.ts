// A Modbus TCP device for bench/modbus-poll.ts, in its own process so that its CPU is not counted:
// modbus-serial's ServerTCP on a random loopback port. Holding registers 0–8 and 20 hold a lift at
// rest at floor 3 in the coding of edge-agent/profiles/controller-gbt24476-example.json (no fault);
// every other register holds its own address.
// Prints "port N" when it listens; stops on SIGTERM.
import { createServer } from 'node:net';
import modbusSerial from 'modbus-serial';

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
type Cb<T> = (err: Error | null, value: T) => void;
const STATUS = new Map([[0, 1], [1, 0], [2, 1], [3, 3], [4, 1], [5, 2], [6, 1], [7, 0], [8, 0], [20, 0]]);
const valueAt = (addr: number) => STATUS.get(addr) ?? addr & 0x7fff;
const server = new modbusSerial.ServerTCP({
  getHoldingRegister: (addr: number, _u: number, cb: Cb<number>) => cb(null, valueAt(addr)),
  getInputRegister: (addr: number, _u: number, cb: Cb<number>) => cb(null, addr & 0xffff),
  getMultipleHoldingRegisters: (addr: number, n: number, _u: number, cb: Cb<number[]>) => cb(null, Array.from({ length: n }, (_, i) => valueAt(addr + i))),
  getMultipleInputRegisters: (addr: number, n: number, _u: number, cb: Cb<number[]>) => cb(null, Array.from({ length: n }, (_, i) => (addr + i) & 0x7fff)),
  getCoil: (_a: number, _u: number, cb: Cb<boolean>) => cb(null, false),
  getDiscreteInput: (_a: number, _u: number, cb: Cb<boolean>) => cb(null, false),
}, { host: '127.0.0.1', port, unitID: 1 });
server.on('socketError', () => {});
server.on('initialized', () => console.log(`port ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
