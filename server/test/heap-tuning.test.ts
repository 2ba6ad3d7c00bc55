import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { THREAD_SEMI_SPACE_MIB } from '../src/heap-tuning.js';

const tuning = fileURLToPath(new URL('../src/heap-tuning.ts', import.meta.url));

/**
 * A thread (a module: it inherits the process's --input-type) that keeps many young objects alive for a while (as the SQLite writer keeps a batch for
 * its transaction), so that V8 grows its young generation as far as it may: the largest size its
 * new space reached, MiB.
 */
const CHURN = `
  import v8 from 'node:v8';
  import { parentPort } from 'node:worker_threads';
  const ring = new Array(300000);
  let most = 0;
  for (let i = 0; i < 3000000; i++) {
    ring[i % ring.length] = { i, s: 'x' + i };
    if (i % 50000 === 0) for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'new_space') most = Math.max(most, s.space_size);
  }
  parentPort.postMessage(most / 2 ** 20);
`;

/** The largest new space of a thread started by a process run as `npm start` runs liftwatch, tuned or not. */
function threadNewSpaceMiB(tuned: boolean): number {
  const main = `
    import { Worker } from 'node:worker_threads';
    ${tuned ? `const { tuneHeaps } = await import(${JSON.stringify(tuning)}); tuneHeaps();` : ''}
    new Worker(${JSON.stringify(CHURN)}, { eval: true }).on('message', (m) => { console.log(m); process.exit(0); });
  `;
  const r = spawnSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', '--input-type=module', '-e', main], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.trim());
}

describe('heaps of the threads', () => {
  it('a thread started after tuneHeaps keeps a young generation of 2 × THREAD_SEMI_SPACE_MIB, not the main thread\'s 2 × 64 MiB', () => {
    expect(threadNewSpaceMiB(true)).toBeLessThanOrEqual(2 * THREAD_SEMI_SPACE_MIB);
  });

  it('without it, V8 gives every thread the command line\'s semi-space', () => {
    expect(threadNewSpaceMiB(false)).toBeGreaterThan(2 * THREAD_SEMI_SPACE_MIB);
  });
});
