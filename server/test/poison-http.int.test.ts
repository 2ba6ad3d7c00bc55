import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLiftwatch } from './helpers.js';

/**
 * HTTP bodies nested thousands of levels deep: refused before they are parsed with 400 and a
 * reason naming the limit (they used to overflow the stack while being validated: 500).
 */
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => { lw = await startTestLiftwatch(); });
afterAll(async () => { await lw?.stop(); });

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const send = (method: string, path: string, body: string) => lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body });

describe('a JSON body nested deeper than the limit', () => {
  const routes: Array<[string, string]> = [['PUT', '/api/people/p-deep'], ['PUT', '/api/organisations/o-deep'], ['POST', '/api/rota']];
  for (const [method, path] of routes) {
    it(`${method} ${path}: 400 LW_ERR_PAYLOAD_TOO_DEEP, whole body or one field`, async () => {
      for (const body of [`{"name":${nested(10_000)}}`, nested(10_000)]) {
        const res = await send(method, path, body);
        expect(res.status).toBe(400);
        const { error } = (await res.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe('LW_ERR_PAYLOAD_TOO_DEEP');
        expect(error.message).toMatch(/deeper than 32 levels/);
      }
    });
  }

  it('within the limit, a wrong value is a 400 that names the field, with a short message', async () => {
    const res = await send('PUT', '/api/people/p-deep', `{"name":${nested(30)},"orgId":"o","channels":[]}`);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('LW_ERR_REQUEST_INVALID');
    expect(error.message).toContain('/name');
    expect(error.message.length).toBeLessThan(400);
  });

  it('an ordinary body still works', async () => {
    const res = await send('PUT', '/api/organisations/o-ok', JSON.stringify({ kind: 'maintenanceUnit', name: 'Unit OK' }));
    expect(res.status).toBe(200);
  });
});

describe('the limit is a setting (maxJsonDepth)', () => {
  it('a body deeper than the configured limit is refused, naming it', async () => {
    const strict = await startTestLiftwatch({ maxJsonDepth: 8 });
    try {
      const res = await strict.fetch('/api/organisations/o-strict', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: `{"name":${nested(8)}}` });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/deeper than 8 levels/);
    } finally {
      await strict.stop();
    }
  });
});
