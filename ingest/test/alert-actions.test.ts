import { describe, expect, it } from 'vitest';
import { lwError } from '@liftwatch/contract';
import { waitFor } from '@liftwatch/test-kit';
import { createAlertActions } from '../src/alert-actions.js';

const until = (probe: () => boolean) => waitFor('no action waiting', probe, 10_000, 5);

describe('alert actions of ingest', () => {
  it('runs a synchronous action at once, inside the call', () => {
    const a = createAlertActions();
    const done: unknown[] = [];
    a.run('L1', 'raise', () => ({ created: true }), (v) => done.push(v));
    expect(done).toEqual([{ created: true }]);
    expect(a.pending()).toBe(0);
  });

  it('retries a failing action with backoff, and keeps the lift\'s later actions behind it; other lifts go on', async () => {
    const lines: string[] = [];
    const a = createAlertActions({ log: (l) => lines.push(l), retryMs: 5, maxRetryMs: 20 });
    const order: string[] = [];
    let failures = 3;
    a.run('L1', 'raise of E09', async () => { order.push('raise'); if (failures-- > 0) throw new Error('connection refused'); return { created: true }; }, (v) => order.push(`done ${JSON.stringify(v)}`));
    a.run('L1', 'E09 cleared', async () => { order.push('clear'); });
    a.run('L2', 'raise on L2', () => { order.push('other lift'); });
    expect(order).toEqual(['raise', 'other lift']);
    expect(a.pending()).toBe(2);
    await until(() => a.pending() === 0);
    expect(order).toEqual(['raise', 'other lift', 'raise', 'raise', 'raise', 'done {"created":true}', 'clear']);
    expect(a.retries()).toBe(3);
    expect(lines).toEqual([expect.stringMatching(/^ingest: raise of E09 failed \(Error: connection refused\)/), 'ingest: raise of E09 done after 4 attempts']);
  });

  it('drops an action refused as wrong input, with a line, and goes on with the next', async () => {
    const lines: string[] = [];
    const a = createAlertActions({ log: (l) => lines.push(l), retryMs: 5 });
    const order: string[] = [];
    a.run('L1', 'slow', async () => { await new Promise((r) => setTimeout(r, 10)); order.push('slow'); });
    a.run('L1', 'raise of X99', () => { throw lwError('LW_ERR_UNKNOWN_FAULT_CODE', 'alert code "X99" is not in the code table'); });
    a.run('L1', 'next', () => { order.push('next'); });
    await until(() => a.pending() === 0);
    expect(order).toEqual(['slow', 'next']);
    expect(lines).toEqual([expect.stringMatching(/raise of X99 refused: .*X99/)]);
  });

  it('gives up at close on what still fails, after waiting for it', async () => {
    const lines: string[] = [];
    const a = createAlertActions({ log: (l) => lines.push(l), retryMs: 5, maxRetryMs: 5 });
    a.run('L1', 'raise', async () => { throw new Error('down'); });
    await a.drain(50);
    await until(() => a.pending() === 0);
    expect(a.pending()).toBe(0);
    expect(lines.some((l) => /raise not done at close/.test(l))).toBe(true);
  });
});
