import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type RunningPostgres } from '@liftwatch/test-kit/servers';
import { openStateStore } from '../src/index.js';
import { stateStoreContract } from './contract.js';

let pg: RunningPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

stateStoreContract('PostgreSQL', () => pg.newDatabase('contract'));

describe('PostgreSQL state store', () => {
  it('several nodes starting at once run the migrations once', async () => {
    const url = await pg.newDatabase('racing_starts');
    const nodes = await Promise.all([1, 2, 3].map(() => openStateStore({ url })));
    try {
      expect(await nodes[0]!.lifts.count()).toBe(0);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('a server that does not answer is LW_ERR_STORAGE naming where it looked', async () => {
    await expect(openStateStore({ url: 'postgres://liftwatch@127.0.0.1:1/none' })).rejects.toMatchObject({
      code: 'LW_ERR_STORAGE', message: expect.stringMatching(/PostgreSQL at 127\.0\.0\.1:1\/none cannot be reached/),
    });
  });
});
