import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { createEdgeAgent, type SensorSource } from '../src/index.js';
import { api, exited, freePort, startPlatform } from './platform-process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A terminal built for a regulator's platform: it reports 15-fault number 7 (平层关人, trapped at a landing). */
const govTerminal: SensorSource = {
  kind: 'gov15-terminal',
  start: (sink) => sink.emit([{ stream: 'fault', record: { sourceScheme: 'gov15', sourceCode: '7', state: 'raised', detector: 'terminalRule', floor: 2, passengersPresent: true } }]),
  stop: async () => {},
};

describe('a fault in the regulators\' 15-fault numbering through the liftwatch platform', () => {
  it('is stored with its liftwatch code beside the original, and opens the entrapment alert', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const port = await freePort();
    const platform = await startPlatform(cleanups, join(dir.path, 'platform'), port);
    const agent = createEdgeAgent({ brokerUrl: `mqtt://127.0.0.1:${port}`, liftId: 'GOV-1', spoolPath: join(dir.path, 'spool.db'), firstSeq: 1 }, { source: govTerminal });
    agent.start();
    cleanups.push(() => agent.close(1_000));
    const { records } = await waitFor('the fault stored', async () => {
      const r = await api<{ records: Array<{ record: Record<string, unknown> }> }>(platform.httpUrl, '/api/lifts/GOV-1/records?stream=fault&limit=10').catch(() => undefined);
      return r && r.records.length > 0 ? r : undefined;
    }, 20_000, 200);
    expect(records[0]!.record).toMatchObject({ code: 'E01', sourceScheme: 'gov15', sourceCode: '7', state: 'raised' });
    const alerts = await api<{ alerts: Array<{ code: string; liftId: string; severity: string }> }>(platform.httpUrl, '/api/alerts?state=active');
    expect(alerts.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ liftId: 'GOV-1', code: 'E01', severity: 'P1' })]));
    platform.kill('SIGTERM');
    await exited(platform);
  });
});
