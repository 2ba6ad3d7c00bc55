import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore } from '@liftwatch/state-store';
import { tempDir } from '@liftwatch/test-kit';
import { startSelfTests } from '../src/terminal-config.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe('the self-tests of the alarm devices the platform sends unasked', () => {
  it('sends each enabled terminal one per period, once whichever of two nodes runs the round', async () => {
    const state = await openStateStore({ url: `sqlite:${join(dir.path, 'state.db')}` });
    try {
      let at = 10_000_000;
      const sent: string[] = [];
      const terminals = async () => [
        { liftId: 'ST-1', role: 'terminal', enabled: true }, { liftId: 'ST-2', role: 'terminal', enabled: false }, { liftId: null, role: 'dashboards', enabled: true },
      ];
      const node = () => startSelfTests({ state, terminals, publish: async (topic, payload) => void sent.push(`${topic} ${(JSON.parse(payload) as { cmd: string }).cmd}`), periodMs: 3 * 86_400_000, log: () => {}, now: () => at });
      const [a, b] = [node(), node()];
      a.stop();
      b.stop();
      expect((await Promise.all([a.round(), b.round()])).sort()).toEqual([0, 1]);
      expect(sent).toEqual(['lift/v1/ST-1/cmd selfTest']);
      at += 86_400_000; // a day later: not due
      expect(await a.round()).toBe(0);
      at += 2 * 86_400_000; // three days after the first
      expect(await b.round()).toBe(1);
      expect((await state.terminalConfigs.commands({ liftId: 'ST-1', limit: 10 })).map((c) => [c.cmd, c.sentBy])).toEqual([['selfTest', 'platform'], ['selfTest', 'platform']]);
    } finally {
      await state.close();
    }
  });
});
