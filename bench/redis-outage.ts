// Part of bench/alert-latency.ts (--redis-outage S): the rounds that stop Redis, raise a P1 while it
// is away and time the first on-call notification from the moment Redis answers again.
import type { RunningRedis } from '@liftwatch/test-kit/servers';

export interface OutageRounds {
  /** Started with `persist`, so that its jobs outlive each outage. */
  readonly redis: RunningRedis;
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
    await o.redis.down('SIGTERM');
    await o.publish(liftId);
    await new Promise((r) => setTimeout(r, o.downMs));
    const back = await o.redis.up();
    delays.push((await o.arrival(liftId)) - back);
    // A quiet second between rounds, so that each outage starts from connections that are up.
    await new Promise((r) => setTimeout(r, 1000));
  }
  return delays;
}
