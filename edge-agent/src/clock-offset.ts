import { createSocket } from 'node:dgram';
import { lwError } from '@liftwatch/contract';

/** Seconds from the NTP era (1900-01-01) to the Unix epoch (RFC 5905, 6). */
const NTP_EPOCH_OFFSET_S = 2_208_988_800;

function writeNtpTime(buf: Buffer, at: number, ms: number): void {
  const s = Math.floor(ms / 1000);
  buf.writeUInt32BE(s + NTP_EPOCH_OFFSET_S, at);
  buf.writeUInt32BE(Math.round(((ms - s * 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
}

function readNtpTime(buf: Buffer, at: number): number {
  return (buf.readUInt32BE(at) - NTP_EPOCH_OFFSET_S) * 1000 + (buf.readUInt32BE(at + 4) / 2 ** 32) * 1000;
}

export interface ClockSample {
  /** Terminal clock minus the server's, ms: positive when the terminal is ahead. */
  readonly offsetMs: number;
  /** Round trip of the exchange, ms. */
  readonly delayMs: number;
  readonly stratum: number;
}

/** `host:port` or `host` (port 123). */
export function parseNtpServer(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw lwError('LW_ERR_CONFIG_INVALID', `--ntp-server is ${JSON.stringify(text)}: give host or host:port`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] === undefined ? 123 : Number(m[2]) };
}

/**
 * One SNTP exchange (RFC 4330; the on-wire protocol of RFC 5905, 8): the client sends its transmit
 * time T1, the server answers with its receive and transmit times T2 and T3, the client notes T4.
 * The server's clock minus ours is ((T2 − T1) + (T3 − T4)) / 2; the terminal reports the opposite
 * sign. A kiss-o'-death (stratum 0) or an unsynchronised server (leap indicator 3) is refused.
 */
export function measureClockOffset(server: { host: string; port: number }, timeoutMs = 2_000, now: () => number = Date.now): Promise<ClockSample> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const request = Buffer.alloc(48);
    request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
    const t1 = now();
    writeNtpTime(request, 40, t1);
    const done = (err: Error | undefined, sample?: ClockSample) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(sample!);
    };
    const timer = setTimeout(() => done(lwError('LW_ERR_DEVICE_UNAVAILABLE', `NTP server ${server.host}:${server.port} did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => done(lwError('LW_ERR_DEVICE_UNAVAILABLE', `NTP server ${server.host}:${server.port}: ${err.message}`, err)));
    socket.on('message', (msg) => {
      const t4 = now();
      if (msg.length < 48 || (msg[0]! & 0x07) !== 4) return; // not a server answer
      if (Math.abs(readNtpTime(msg, 24) - t1) > 1) return; // not the answer to this request [RFC 5905, 8: origin timestamp check]
      const stratum = msg[1]!;
      if (stratum === 0 || msg[0]! >> 6 === 3) {
        done(lwError('LW_ERR_DEVICE_UNAVAILABLE', `NTP server ${server.host}:${server.port} is not synchronised (stratum ${stratum}, leap indicator ${msg[0]! >> 6}); no clock offset`));
        return;
      }
      const t2 = readNtpTime(msg, 32);
      const t3 = readNtpTime(msg, 40);
      const theta = (t2 - t1 + (t3 - t4)) / 2;
      done(undefined, { offsetMs: Math.round(-theta * 10) / 10, delayMs: Math.max(0, t4 - t1 - (t3 - t2)), stratum });
    });
    socket.send(request, server.port, server.host);
  });
}
