import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { openSqliteSpool } from '../src/index.js';
import { checkDelivery, startRecordingBroker } from './recording-broker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The agent as its own process, started the way a terminal starts it (npm run agent -- run …). */
function startAgentProcess(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/src/cli.ts', 'run', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return { child, exited, output: () => output };
}

describe('store-and-forward through kill -9 of the agent', () => {
  it('loses nothing the spool accepted: every seq arrives after a restart on the same spool, duplicates only with the same seq', async () => {
    // PUBACK comes 50 ms late, and the agent is killed the moment a message arrives: that message
    // (and any other in flight) is unacknowledged at the kill.
    let killNow: (() => void) | undefined;
    const broker = await startRecordingBroker({ ackDelayMs: 50, onMessage: () => killNow?.() });
    onTestFinished(() => broker.close());
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const liftId = 'KILL-1';
    const firstSeq = 5_000;
    const args = ['--broker', broker.url, '--lift', liftId, '--source', 'sim', '--seed', '3', '--traffic', '6', '--speed', '300',
      '--spool', join(dir.path, 'spool.db'), '--first-seq', String(firstSeq), '--status-qos', '1', '--max-inflight', '4'];

    const first = startAgentProcess(args);
    await waitFor('records from the first agent process', () => broker.count(liftId) >= 60, 30_000);
    killNow = () => {
      killNow = undefined;
      first.child.kill('SIGKILL');
    };
    expect(await first.exited).toBe(null); // killed by the signal
    const beforeRestart = broker.count(liftId);

    const second = startAgentProcess(args);
    await waitFor('records from the restarted agent', () => broker.count(liftId) >= beforeRestart + 60, 30_000);
    second.child.kill('SIGTERM'); // a clean stop drains the spool
    expect(await second.exited).toBe(0);

    const spool = openSqliteSpool({ path: join(dir.path, 'spool.db') });
    const nextSeq = spool.nextSeq(liftId);
    const left = spool.peek(liftId, -1, 1_000_000).map((r) => r.seq);
    spool.close();
    const { missing, duplicated, conflicting } = checkDelivery(broker.received, liftId, firstSeq, nextSeq);
    // A record still in the spool has not been acknowledged yet: it is not lost, it waits for the next start.
    expect(missing.filter((s) => !left.includes(s))).toEqual([]);
    expect(left.length).toBeLessThan(5);
    expect(conflicting).toEqual([]);
    expect(nextSeq - firstSeq).toBeGreaterThan(120);
    // The in-flight messages at the kill were sent again after the restart, with their seqs.
    expect(duplicated).toBeGreaterThan(0);
  });
});
