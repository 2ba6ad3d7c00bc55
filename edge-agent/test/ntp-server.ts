import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '@liftwatch/test-kit';
import { measureClockOffset } from '../src/clock-offset.js';

/**
 * Debian's chronyd as an NTP server on a random loopback port, serving its local clock (stratum 8),
 * and never touching the machine's clock (-x).
 */
export async function startNtpServer(): Promise<{ host: string; port: number; stop(): Promise<void> }> {
  const dir = tempDir('liftwatch-ntp-');
  const port = await freePort();
  const conf = join(dir.path, 'chrony.conf');
  writeFileSync(conf, [`port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 8', 'cmdport 0',
    `driftfile ${join(dir.path, 'drift')}`, `pidfile ${join(dir.path, 'chronyd.pid')}`].join('\n'));
  const child = spawn('chronyd', ['-d', '-x', '-u', 'root', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
  /** chronyd writes its drift file as it exits: the folder goes once it has. */
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    dir.remove();
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await measureClockOffset({ host: '127.0.0.1', port }, 300);
      return { host: '127.0.0.1', port, stop };
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`chronyd did not serve time on port ${port}: ${String(e)}; ${err}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
