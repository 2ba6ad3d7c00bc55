import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@liftwatch/test-kit';
import { measureClockOffset, parseNtpServer } from '../src/clock-offset.js';
import { startNtpServer } from './ntp-server.js';

let ntp: Awaited<ReturnType<typeof startNtpServer>>;
beforeAll(async () => { ntp = await startNtpServer(); });
afterAll(() => ntp.stop());

describe('the clock offset a terminal reports (SNTP against Debian\'s chronyd)', () => {
  it('is near zero for a clock in step with the server', async () => {
    const s = await measureClockOffset(ntp);
    expect(Math.abs(s.offsetMs)).toBeLessThan(50);
    expect(s.stratum).toBeGreaterThan(0);
  });

  it('is positive by the amount a terminal clock is ahead, negative when it is behind', async () => {
    expect((await measureClockOffset(ntp, 2_000, () => Date.now() + 7_000)).offsetMs).toBeGreaterThan(6_950);
    expect((await measureClockOffset(ntp, 2_000, () => Date.now() - 3_000)).offsetMs).toBeLessThan(-2_950);
  });

  it('says which server did not answer', async () => {
    const port = await freePort();
    await expect(measureClockOffset({ host: '127.0.0.1', port }, 300)).rejects.toThrow(new RegExp(`NTP server 127.0.0.1:${port}`));
  });

  it('reads host and host:port', () => {
    expect(parseNtpServer('ntp.example')).toEqual({ host: 'ntp.example', port: 123 });
    expect(parseNtpServer('[::1]:1123')).toEqual({ host: '::1', port: 1123 });
  });
});
