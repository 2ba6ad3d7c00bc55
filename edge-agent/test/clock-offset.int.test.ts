import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@liftwatch/test-kit';
import { measureClockOffset, parseNtpServer } from '../src/clock-offset.js';
import { startNtpServer } from './ntp-server.js';

let ntp: Awaited<ReturnType<typeof startNtpServer>>;
beforeAll(async () => { ntp = await startNtpServer(); });
afterAll(() => ntp.stop());

describe('the clock offset a terminal reports (SNTP against Debian\'s chronyd)', () => {
  /**
   * The true offset lies within half the exchange's round trip of the measured one (RFC 5905, 8): a busy
   * machine that reads the answer late widens the bound, it does not make the figure wrong. 5 ms more for
   * the terminal clock's millisecond steps (T1, T4), the rounding and the server's own precision.
   */
  const within = (s: { offsetMs: number; delayMs: number }, expected: number) => expect(Math.abs(s.offsetMs - expected)).toBeLessThanOrEqual(s.delayMs / 2 + 5);

  it('is near zero for a clock in step with the server', async () => {
    const s = await measureClockOffset(ntp);
    within(s, 0);
    expect(s.stratum).toBeGreaterThan(0);
  });

  it('is positive by the amount a terminal clock is ahead, negative when it is behind', async () => {
    within(await measureClockOffset(ntp, 2_000, () => Date.now() + 7_000), 7_000);
    within(await measureClockOffset(ntp, 2_000, () => Date.now() - 3_000), -3_000);
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
