import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@liftwatch/test-kit';
import { lwError } from '@liftwatch/contract';
import type { JobQueue, JobRun } from '../src/queue/job-queue.js';

/**
 * The one contract suite of the job-queue port (STYLE.md 8), run against the SQLite queue and the
 * BullMQ queue. `open()` gives a queue over the same storage each time, so a second `open()` after
 * `close()` is a process restart.
 */
export interface QueueUnderTest { open(): JobQueue; cleanup?(): Promise<void> }

export function jobQueueContract(adapter: string, make: () => Promise<QueueUnderTest>): void {
  describe(`job queue contract: ${adapter}`, () => {
    const opened: JobQueue[] = [];
    let subject: QueueUnderTest;
    const open = async () => {
      subject ??= await make();
      const q = subject.open();
      opened.push(q);
      return q;
    };
    afterEach(async () => {
      for (const q of opened.splice(0)) await q.close({ force: true }).catch(() => {});
      await subject?.cleanup?.();
      subject = undefined as unknown as QueueUnderTest;
    });

    it('runs a job added to run now, once', async () => {
      const q = await open();
      const runs: JobRun[] = [];
      q.start(async (job) => { runs.push(job); });
      await q.add({ id: 'now.1', kind: 'deliver', payload: { n: 1 }, runAt: Date.now() });
      await q.add({ id: 'now.1', kind: 'deliver', payload: { n: 2 }, runAt: Date.now() });
      await waitFor('the job to run', () => runs.length > 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: 'now.1', kind: 'deliver', payload: { n: 1 }, attempt: 1 });
      expect((await q.state('now.1'))?.state).toBe('done');
    });

    it('fires a delayed job on time, not before', async () => {
      const q = await open();
      let firedAt = 0;
      q.start(async () => { firedAt = Date.now(); });
      const runAt = Date.now() + 700;
      await q.add({ id: 'delayed.1', kind: 'escalate', payload: {}, runAt });
      await waitFor('the delayed job', () => firedAt > 0, 5000, 10);
      expect(firedAt).toBeGreaterThanOrEqual(runAt - 5);
      expect(firedAt - runAt).toBeLessThan(400);
    });

    it('retries with exponential backoff and succeeds', async () => {
      const q = await open();
      const times: number[] = [];
      q.start(async (job) => {
        times.push(Date.now());
        if (job.attempt < 3) throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `try ${job.attempt} fails`);
      });
      await q.add({ id: 'retry.1', kind: 'deliver', payload: {}, runAt: Date.now(), maxAttempts: 4, backoffMs: 150 });
      await waitFor('the third attempt to succeed', async () => (await q.state('retry.1'))?.state === 'done', 8000);
      expect(times).toHaveLength(3);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(140);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(290); // doubled
    });

    it('marks a job failed with the reason after its last attempt, and at once when not retryable', async () => {
      const q = await open();
      const attempts = new Map<string, number>();
      q.start(async (job) => {
        attempts.set(job.id, job.attempt);
        if (job.id === 'fail.final') throw lwError('LW_ERR_CHANNEL_REJECTED', 'receiver answered 400: bad signature');
        throw lwError('LW_ERR_CHANNEL_UNAVAILABLE', `receiver answered 503 on try ${job.attempt}`);
      });
      await q.add({ id: 'fail.retry', kind: 'deliver', payload: {}, runAt: Date.now(), maxAttempts: 3, backoffMs: 50 });
      await q.add({ id: 'fail.final', kind: 'deliver', payload: {}, runAt: Date.now(), maxAttempts: 3, backoffMs: 50 });
      await waitFor('both jobs to fail', async () => (await q.state('fail.retry'))?.state === 'failed' && (await q.state('fail.final'))?.state === 'failed', 8000);
      expect(attempts.get('fail.retry')).toBe(3);
      expect((await q.state('fail.retry'))?.lastError).toMatch(/503 on try 3/);
      expect(attempts.get('fail.final')).toBe(1);
      expect((await q.state('fail.final'))?.lastError).toMatch(/bad signature/);
    });

    it('keeps a delayed job across a restart and fires it at its time', async () => {
      const first = await open();
      first.start(async () => { throw new Error('the first process must not run it'); });
      const runAt = Date.now() + 800;
      await first.add({ id: 'restart.1', kind: 'escalate', payload: { step: 1 }, runAt });
      await first.close();
      const second = await open();
      let firedAt = 0;
      second.start(async (job) => { expect(job.payload).toEqual({ step: 1 }); firedAt = Date.now(); });
      await waitFor('the job after the restart', () => firedAt > 0, 8000, 10);
      expect(firedAt).toBeGreaterThanOrEqual(runAt - 5);
    });

    it('sends again with the same idempotency key after a crash between send and acknowledgement: the receiver keeps one', async () => {
      const received: string[] = [];
      const attempts: number[] = [];
      const first = await open();
      first.start(async (job) => {
        received.push(job.id); // the channel got it …
        attempts.push(job.attempt);
        await new Promise(() => {}); // … and the process dies before the queue records it
      });
      await first.add({ id: 'crash.1', kind: 'deliver', payload: {}, runAt: Date.now(), maxAttempts: 3 });
      await waitFor('the first send', () => received.length === 1);
      await first.close({ force: true });
      const second = await open();
      second.start(async (job) => { received.push(job.id); attempts.push(job.attempt); });
      await waitFor('the job to finish after the crash', async () => (await second.state('crash.1'))?.state === 'done', 15_000);
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(new Set(received)).toEqual(new Set(['crash.1'])); // one key: the receiver stores one notification
      // The try the crash cut short counts: the run after it is the next attempt, so a log keeps both.
      expect(attempts.slice(0, 2)).toEqual([1, 2]);
    });
  });
}
