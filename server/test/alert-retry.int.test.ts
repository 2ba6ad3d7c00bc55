import Database from 'better-sqlite3';
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerting, createSqliteJobQueue } from '@liftwatch/alerting';
import { GOLDEN, liftTopic } from '@liftwatch/contract';
import { createIngest } from '@liftwatch/ingest';
import { openStateStore, type StateStore } from '@liftwatch/state-store';
import { waitFor } from '@liftwatch/test-kit';
import { freePort, startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';

/**
 * An alert is a safety promise: ingest raising into the shared state while PostgreSQL
 * is briefly away (the network between them cut: a TCP relay closed, then opened again) retries the
 * raise, and keeps the lift's order (a "cleared" never overtakes its raise). The records that raise
 * are acknowledged only when their raise is in the store; the lift's other records do not wait.
 */
let pg: RunningPostgres;
beforeAll(async () => { pg = await startPostgres(); });
afterAll(async () => { await pg?.stop(); });

/** A TCP relay to PostgreSQL on a port of its own; `cut()` drops every connection and refuses new ones until `mend()`. */
async function relay(target: number) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
    client.pipe(upstream).pipe(client);
  });
  const listen = () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  await listen();
  return {
    port,
    cut: () => new Promise<void>((r) => { server.close(() => r()); for (const s of sockets) s.destroy(); }),
    mend: listen,
  };
}

describe('ingest raising into the shared state', () => {
  let state: StateStore;
  it('retries a raise while PostgreSQL is away, and the clear after it waits its turn', async () => {
    const url = new URL(await pg.newDatabase('alert_retry'));
    const net = await relay(Number(url.port));
    url.port = String(net.port);
    state = await openStateStore({ url: url.toString(), poolSize: 2 });
    const lines: string[] = [];
    const db = new Database(':memory:');
    const alerting = createAlerting({ state, queue: createSqliteJobQueue(db), log: (l) => lines.push(l) });
    const ingest = createIngest({ db: new Database(':memory:'), alerts: alerting, log: (l) => lines.push(l) });
    try {
      await net.cut();
      const fault = (seq: number, state: string) => new TextEncoder().encode(JSON.stringify({ ...GOLDEN.fault, liftId: 'RETRY-1', seq, ts: Date.now(), code: 'E09', passengersPresent: false, state }));
      let acked = 0;
      const raised = ingest.handle(liftTopic('RETRY-1', 'fault'), fault(1, 'raised'), 'term-1').then(() => acked++);
      const cleared = ingest.handle(liftTopic('RETRY-1', 'fault'), fault(2, 'cleared'), 'term-1').then(() => acked++);
      // A status of the same lift is stored and acknowledged meanwhile (PostgreSQL is still cut off, so
      // the raise cannot be done yet): only the records whose alarm waits, wait.
      await ingest.handle(liftTopic('RETRY-1', 'status'), new TextEncoder().encode(JSON.stringify({ ...GOLDEN.status, liftId: 'RETRY-1', seq: 3, ts: Date.now() })), 'term-1');
      expect(acked).toBe(0);
      await waitFor('a failed try', () => lines.some((l) => /raise of E09 on RETRY-1 failed/.test(l)), 10_000);
      expect(ingest.alertActions.pending()).toBe(2);
      // The two fault records are stored but not acknowledged while their raise and clear wait, try after
      // try: a node that died now would leave them with the terminal, which sends them again to the next node.
      await waitFor('two more failed tries', () => ingest.alertActions.retries() >= 3, 20_000);
      expect(ingest.alertActions.pending()).toBe(2);
      expect(acked).toBe(0);
      await net.mend();
      await waitFor('the raise and the clear', () => ingest.alertActions.pending() === 0, 20_000);
      await Promise.all([raised, cleared]);
      expect(acked).toBe(2);
      const [alert] = await alerting.list({ liftId: 'RETRY-1' });
      expect(alert).toMatchObject({ code: 'E09', state: 'open' });
      expect(alert!.conditionClearedAt).not.toBeNull(); // cleared after it was raised, not before
      expect(ingest.stats().alertsRaised).toBe(1);
      expect(ingest.alertActions.retries()).toBeGreaterThan(0);
      expect(lines.some((l) => /raise of E09 on RETRY-1 done after \d+ attempts/.test(l))).toBe(true);
    } finally {
      await ingest.close();
      await alerting.close();
      await state.close();
      db.close();
    }
  });
});
