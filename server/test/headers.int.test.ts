import { get, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLiftwatch } from './helpers.js';

// Every answer carries a Content-Security-Policy, nosniff and frame protection: the console, the API, /docs, errors and the live stream.
let lw: Awaited<ReturnType<typeof startTestLiftwatch>>;
beforeAll(async () => {
  lw = await startTestLiftwatch({ models: false });
});
afterAll(async () => {
  await lw?.stop();
});

/** The headers of a GET, on a connection of its own that is closed once they are in (the live stream never ends). */
const headersOf = (url: string, token?: string) => new Promise<IncomingHttpHeaders>((resolve, reject) => {
  get(url, { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
    resolve(res.headers);
    res.destroy();
  }).on('error', reject);
});

describe('security headers', () => {
  it.each([
    ['the console', '/', false],
    ['an API route', '/api/lifts', true],
    ['an API route without a session', '/api/lifts', false],
    ['an unknown route', '/api/nothing-here', true],
    ['the API documentation', '/docs/', false],
    ['the OpenAPI document', '/docs/json', false],
    ['the live stream', '/api/events', true],
  ])('on %s (%s)', async (_what, path, withSession) => {
    const headers = await headersOf(`${lw.httpUrl}${path}`, withSession ? lw.token : undefined);
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
