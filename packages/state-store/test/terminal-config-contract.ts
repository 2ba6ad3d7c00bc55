import { expect, it } from 'vitest';
import type { StateStore } from '../src/index.js';

/** Desired terminal configs and commands (contract.ts), on two nodes of one database. */
export function terminalConfigCases(nodes: () => { a: StateStore; b: StateStore }): void {
  it('terminal configs: each push gets a version above all the terminal saw; acknowledgements and refusals only move forward', async () => {
    const { a, b } = nodes();
    const [one, two] = await Promise.all([
      a.terminalConfigs.desire(['TC-1', 'TC-2'], { deviceS: 60 }, 'admin', 1_000),
      b.terminalConfigs.desire(['TC-1'], { deviceS: 120 }, 'crew', 1_000),
    ]);
    expect([...one, ...two].filter((p) => p.liftId === 'TC-1').map((p) => p.configVersion).sort()).toEqual([1, 2]);
    expect(await b.terminalConfigs.get('TC-2')).toMatchObject({ desiredVersion: 1, settings: { deviceS: 60 }, desiredAt: 1_000, desiredBy: 'admin', ackedVersion: null, state: 'pending' });

    expect(await a.terminalConfigs.acknowledge('TC-2', 1, 2_000)).toBe(true);
    expect(await a.terminalConfigs.acknowledge('TC-2', 1, 3_000)).toBe(false); // every device record repeats it
    expect(await b.terminalConfigs.get('TC-2')).toMatchObject({ ackedVersion: 1, ackedAt: 2_000, state: 'acknowledged' });

    // A terminal that applied version 7 elsewhere gets 8 next, not 2.
    await a.terminalConfigs.acknowledge('TC-2', 7, 4_000);
    expect(await a.terminalConfigs.desire(['TC-2'], { deviceS: 30 }, 'admin', 5_000)).toEqual([{ liftId: 'TC-2', configVersion: 8 }]);
    expect(await b.terminalConfigs.reject('TC-2', 8, 'statusMovingS 0.1 s is below the source\'s period', 6_000)).toBe(true);
    expect(await b.terminalConfigs.get('TC-2')).toMatchObject({ state: 'rejected', rejectedVersion: 8, rejectedReason: expect.stringMatching(/statusMovingS/), rejectedAt: 6_000, ackedVersion: 7 });

    const waiting = (await a.terminalConfigs.unacknowledged()).filter((c) => c.liftId.startsWith('TC-'));
    expect(waiting.map((c) => [c.liftId, c.state, c.desiredAt])).toEqual([['TC-1', 'pending', 1_000], ['TC-2', 'rejected', 5_000]]);
    expect((await b.terminalConfigs.list(['TC-2', 'TC-1', 'TC-9'])).map((c) => c.liftId)).toEqual(['TC-1', 'TC-2']);
    expect(await b.terminalConfigs.list([])).toEqual([]);
    await expect(a.terminalConfigs.desire(['bad id'], {}, 'admin')).rejects.toThrow(/lift id "bad id" is not valid/);
  });

  it('terminal commands: recorded per lift; the first result of the right lift counts', async () => {
    const { a, b } = nodes();
    await a.terminalConfigs.commandsSent([{ cmdId: 'tc-c1', liftId: 'TC-1', cmd: 'selfTest' }, { cmdId: 'tc-c2', liftId: 'TC-2', cmd: 'restart' }], 'admin', 10_000);
    expect(await b.terminalConfigs.commandResult('TC-2', 'tc-c1', true, 'not its command', 11_000)).toBe(false);
    expect(await b.terminalConfigs.commandResult('TC-1', 'tc-c1', false, 'alarm device does not answer', 11_000)).toBe(true);
    expect(await a.terminalConfigs.commandResult('TC-1', 'tc-c1', true, 'again', 12_000)).toBe(false);
    expect(await a.terminalConfigs.commands({ liftId: 'TC-1', limit: 10 })).toEqual([
      { cmdId: 'tc-c1', liftId: 'TC-1', cmd: 'selfTest', sentAt: 10_000, sentBy: 'admin', resultAt: 11_000, ok: false, detail: 'alarm device does not answer' },
    ]);
    expect((await a.terminalConfigs.commands({ limit: 100 })).find((c) => c.cmdId === 'tc-c2')).toMatchObject({ ok: null, resultAt: null });
    // A command both nodes would send (the same id): one records it.
    const claims = await Promise.all([a, b].map((n) => n.terminalConfigs.claimCommand({ cmdId: 'tc-auto-1', liftId: 'TC-1', cmd: 'selfTest' }, 'platform', 20_000)));
    expect(claims.sort()).toEqual([false, true]);
    expect((await b.terminalConfigs.lastSent('selfTest')).get('TC-1')).toBe(20_000);
    expect((await b.terminalConfigs.lastSent('restart')).get('TC-1')).toBeUndefined();
  });
}
