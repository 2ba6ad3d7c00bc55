import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestLiftwatch } from './helpers.js';

/**
 * HTTP bodies through the whole platform: the depth limit of JSON bodies is the server's setting
 * (maxJsonDepth), and a body alerting refuses is a 400 naming the field in a short message. The
 * limit itself, route by route, is tested in dashboards/test/app.test.ts.
 */
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => { lw = await startTestLiftwatch({ maxJsonDepth: 8, models: false }); });
afterAll(async () => { await lw?.stop(); });

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const send = (method: string, path: string, body: string) => lw.fetch(path, { method, headers: { 'content-type': 'application/json' }, body });

describe('JSON bodies', () => {
  it('a body deeper than the configured limit is refused before it is parsed, naming the limit', async () => {
    const res = await send('PUT', '/api/organisations/o-strict', `{"name":${nested(8)}}`);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'LW_ERR_PAYLOAD_TOO_DEEP', message: expect.stringMatching(/deeper than 8 levels/) });
  });

  it('within the limit, a wrong value is a 400 that names the field, with a short message', async () => {
    const res = await send('PUT', '/api/people/p-deep', `{"name":${nested(6)},"orgId":"o","channels":[]}`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('LW_ERR_REQUEST_INVALID');
    expect(error.message).toContain('/name');
    expect(error.message.length).toBeLessThan(400);
  });
});
