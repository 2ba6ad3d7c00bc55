// Part of bench/alert-latency.ts (--redis-outage S): a redis-server that can be stopped and started
// again on its port and data, and the rounds that stop it, raise a P1 while it is away and time the
// first on-call notification from the moment Redis answers again.
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';

export interface BenchRedis {
  readonly port: number;
  readonly child: () => ChildProcess | undefined;
  /** Stops it (SIGTERM: it writes its append-only file and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves with performance.now() of its first PONG. */
  start(): Promise<number>;
}

const pong = (port: number) => new Promise<boolean>((resolve) => {
  const s = new Socket();
  s.once('error', () => resolve(false));
  s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
});

/** Debian's redis-server on `port` with its append-only file in `dir`, started at once. */
export async function benchRedis(port: number, dir: string): Promise<BenchRedis> {
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
    for (;;) {
      if (await pong(port)) return performance.now();
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  await start();
  return {
    port,
    child: () => proc,
    start,
    async stop() {
      const p = proc;
      if (!p || p.exitCode !== null) return;
      await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGTERM'); });
    },
  };
}

export interface OutageRounds {
  readonly redis: BenchRedis;
  /** How long Redis stays away, ms. */
  readonly downMs: number;
  /** One lift per round, assigned to the on-call crew. */
  readonly liftIds: readonly string[];
  /** Publishes a P1 of the lift (resolves when the platform acknowledged it). */
  publish(liftId: string): Promise<void>;
  /** performance.now() when the crew's webhook received the lift's first notification. */
  arrival(liftId: string): Promise<number>;
}

/**
 * Each round: Redis stops, a P1 is published (the platform opens the alert; its escalation waits for
 * Redis), Redis starts again after `downMs`. Returns, per round, the ms from Redis's first PONG to the
 * crew's webhook receiving the notification.
 */
export async function measureOutages(o: OutageRounds): Promise<number[]> {
  const delays: number[] = [];
  for (const liftId of o.liftIds) {
    await o.redis.stop();
    await o.publish(liftId);
    await new Promise((r) => setTimeout(r, o.downMs));
    const back = await o.redis.start();
    delays.push((await o.arrival(liftId)) - back);
    // A quiet second between rounds, so that each outage starts from connections that are up.
    await new Promise((r) => setTimeout(r, 1000));
  }
  return delays;
}
