import { describe, expect, it } from 'vitest';
import type { Mode } from './receivers.js';
import { createConsoleChannel } from '../src/channels/console.js';
import { channelContract, SAMPLE } from './channel.contract.js';

/** The console channel's receiver is the log: a sink that takes lines, or fails like a full disk. */
function logSink() {
  const lines: string[] = [];
  const state = { mode: 'ok' as Mode };
  const write = (line: string) => {
    if (state.mode !== 'ok') throw new Error('ENOSPC: no space left on device');
    lines.push(line);
  };
  return { lines, state, write };
}

const sink = logSink();
channelContract('console (a log line, shown in the inbox)', () => ({
  channel: createConsoleChannel({ write: sink.write }), to: { kind: 'console', to: 'admin' }, carriesKey: true, canRefuse: false,
  setMode: (m) => { sink.state.mode = m; },
  received: () => sink.lines.map((text) => ({ text, key: /\[(\S+)\]$/.exec(text)?.[1] })),
}));

describe('the console channel', () => {
  it('names the recipient, the lift and the alert in one line of the log', async () => {
    const own = logSink();
    await createConsoleChannel({ write: own.write }).send(SAMPLE, { kind: 'console', to: 'admin' }, 'dlv.42.fb-step0.admin.console0');
    expect(own.lines).toEqual([expect.stringMatching(/^liftwatch: notification for Wang Wei \(admin\) in the console: P1 E01 .* on lift HZ-0001 \(Building 3 east car, 12 Wensan Road, Hangzhou\), alert #42 .*\[dlv\.42\.fb-step0\.admin\.console0\]$/)]);
  });
});
