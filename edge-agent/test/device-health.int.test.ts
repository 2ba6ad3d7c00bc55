import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, tempDir, waitFor } from '@liftwatch/test-kit';
import { createEdgeAgent, createSimSource } from '../src/index.js';
import { startNtpServer } from './ntp-server.js';
import { api, exited, startPlatform } from './platform-process.js';

interface Terminal { fwVersion?: string; bufferBacklog?: number; linkRttMs?: number; linkDrops?: number; clockOffsetMs?: number; uptimeS?: number; receivedAt?: number }

describe('terminal health through the liftwatch platform', () => {
  it('a terminal reports firmware, link quality, spool depth and clock offset; the lift\'s API page returns them', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const ntp = await startNtpServer();
    onTestFinished(() => ntp.stop());
    const port = await freePort();
    const platform = await startPlatform(join(dir.path, 'platform'), port);
    const liftId = 'HEALTH-1';
    // The terminal's clock runs 4 s ahead: its NTP server says so, and the record says so.
    const agent = createEdgeAgent({
      brokerUrl: `mqtt://127.0.0.1:${port}`, liftId, spoolPath: join(dir.path, 'spool.db'), firstSeq: 1, deviceS: 1,
      fwVersion: 'edge-test-1.2.3', ntpServer: `${ntp.host}:${ntp.port}`,
    }, { source: createSimSource({ liftId, seed: 3, trafficScale: 6, speed: 50 }), now: () => Date.now() + 4_000 });
    agent.start();
    onTestFinished(() => agent.close(1_000));

    const terminal = await waitFor('a device record with link quality and clock offset', async () => {
      const lift = await api<{ terminal: Terminal | null }>(platform.httpUrl, `/api/lifts/${liftId}`).catch(() => undefined);
      const t = lift?.terminal;
      return t && t.linkRttMs !== undefined && t.clockOffsetMs !== undefined ? t : undefined;
    }, 20_000, 250);
    expect(terminal).toMatchObject({ fwVersion: 'edge-test-1.2.3', linkDrops: 0 });
    expect(terminal.bufferBacklog).toBeGreaterThanOrEqual(0);
    expect(terminal.linkRttMs).toBeGreaterThan(0);
    // 4 s ahead, give or take what a busy machine adds to the NTP exchange's round trip
    expect(terminal.clockOffsetMs).toBeGreaterThan(3_500);
    expect(terminal.clockOffsetMs).toBeLessThan(4_500);
    expect(terminal.receivedAt).toBeGreaterThan(0);
    platform.kill('SIGTERM');
    await exited(platform);
  });
});
