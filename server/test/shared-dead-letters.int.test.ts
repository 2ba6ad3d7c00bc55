import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftTopic, type DeadLetterTerminalView, type DeadLetterView } from '@liftwatch/contract';
import { mosquittoPub, startRedis } from '@liftwatch/test-kit';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { credentials, startTestLiftwatch } from './helpers.js';

type Node = Awaited<ReturnType<typeof startTestLiftwatch>>;
let pg: RunningPostgres;
let redis: Awaited<ReturnType<typeof startRedis>>;
let ingestNode: Node;
let dashboardsNode: Node;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const stateUrl = await pg.newDatabase('shared_dead_letters');
  ingestNode = await startTestLiftwatch({ stateUrl, redisUrl: redis.url, models: false });
  dashboardsNode = await startTestLiftwatch({ stateUrl, redisUrl: redis.url, models: false, roles: 'broker,dashboards' }); // no ingest: it stores nothing itself
}, 60_000);
afterAll(async () => {
  await dashboardsNode?.stop();
  await ingestNode?.stop();
  await redis?.stop();
  await pg?.stop();
});

describe('dead letters with --state-url', () => {
  it('a message one node could not store shows on another node\'s dashboards, with its terminal\'s counts', async () => {
    await mosquittoPub({ port: ingestNode.mqttPort, topic: liftTopic('SDL-N1', 'trip'), message: '{"not": "a trip"', ...(await credentials(ingestNode, 'SDL-N1')) });
    const { total, deadLetters } = await dashboardsNode.get<{ total: number; deadLetters: DeadLetterView[] }>('/api/dead-letters');
    expect(total).toBe(1);
    expect(deadLetters[0]).toMatchObject({ clientId: 'T-SDL-N1', topic: 'lift/v1/SDL-N1/trip', code: 'LW_ERR_PAYLOAD_NOT_JSON', rawText: '{"not": "a trip"' });
    const { terminals } = await dashboardsNode.get<{ terminals: DeadLetterTerminalView[] }>('/api/dead-letters/terminals');
    expect(terminals).toMatchObject([{ clientId: 'T-SDL-N1', kept: 1, rejectedSinceStart: 1, overQuota: false }]);
    expect(await dashboardsNode.get<{ deadLetters: number }>('/api/stats')).toMatchObject({ deadLetters: 1 });
  });
});
