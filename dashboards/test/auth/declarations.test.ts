import { Type } from '@sinclair/typebox';
import Fastify, { type RouteShorthandOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../src/app.js';
import { requireDeclarations } from '../../src/auth/declarations.js';
import { fakePorts } from '../fake-ports.js';
import { testApp, type TestApp } from '../test-app.js';

const Ok = { 200: Type.Object({ ok: Type.Boolean() }) };
const LiftParams = Type.Object({ liftId: Type.String() });

/** Registers one route on an app that requires declarations; returns why it was refused, or 'registered'. */
function register(url: string, options: RouteShorthandOptions): string {
  const app = Fastify();
  requireDeclarations(app);
  try {
    app.get(url, options, async () => ({ ok: true }));
    return 'registered';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('routes declare their access, scope and answers where they are declared', () => {
  it.each([
    ['no access', '/api/x', { schema: { response: Ok } }, /GET \/api\/x cannot be registered: it declares no config\.access/],
    ['no scope', '/api/x', { config: { access: 'read' }, schema: { response: Ok } }, /it declares no config\.scope/],
    ['an unknown scope', '/api/x', { config: { access: 'read', scope: 'everything' }, schema: { response: Ok } }, /it declares no config\.scope \(lift, alert, org, list or none\)/],
    ['no answer', '/api/x', { config: { access: 'read', scope: 'none' } }, /it declares no schema\.response for its success answer/],
    ['only an error answer', '/api/x', { config: { access: 'read', scope: 'none' }, schema: { response: { 404: Type.Object({}) } } }, /no schema\.response for its success answer/],
    ['a lift scope without :liftId', '/api/x/:id', { config: { access: 'read', scope: 'lift' }, schema: { params: Type.Object({ id: Type.String() }), response: Ok } }, /scope is lift, which reads the URL parameter :liftId/],
    ['a :liftId that is not scoped', '/api/x/:liftId', { config: { access: 'read', scope: 'none' }, schema: { params: LiftParams, response: Ok } }, /its URL names a lift \(:liftId\), so its scope must be lift, not none/],
    ['an org scope without :orgId or :id', '/api/x/:unit', { config: { access: 'read', scope: 'org' }, schema: { params: Type.Object({ unit: Type.String() }), response: Ok } }, /reads the URL parameter :orgId or :id/],
  ] as Array<[string, string, RouteShorthandOptions, RegExp]>)('a route with %s is refused, naming the route and what is missing', (_what, url, options, why) => {
    expect(register(url, options)).toMatch(why);
  });

  it('a route that declares them is registered, with the error answers its declaration implies', () => {
    const app = Fastify();
    requireDeclarations(app);
    const seen: Record<string, string[]> = {};
    app.addHook('onRoute', (r) => void (seen[`${String(r.method)} ${r.url}`] = Object.keys(r.schema?.response ?? {}).sort()));
    app.get('/api/x/:liftId', { config: { access: 'read', scope: 'lift' }, schema: { params: LiftParams, response: Ok } }, async () => ({ ok: true }));
    app.get('/open', { config: { access: 'public', scope: 'none' }, schema: { response: Ok } }, async () => ({ ok: true }));
    expect(seen['GET /api/x/:liftId']).toEqual(['200', '400', '401', '403', '404', '4xx', '5xx']);
    expect(seen['GET /open']).toEqual(['200', '4xx', '5xx']); // public, no input
  });

  it('a route added to the dashboards without them cannot be registered', async () => {
    const app = buildDashboards(fakePorts().deps);
    expect(() => app.get('/api/new-thing', async () => ({ secret: 'anyone may read this' }))).toThrow(/GET \/api\/new-thing cannot be registered: it declares no config\.access/);
    await app.close();
  });
});

describe('the OpenAPI document describes every answer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('each route has its success answer and the error answers its declaration implies, with the error shape', async () => {
    const doc = (await t.call(null, 'GET', '/docs/json')).json<{ paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> }>();
    const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, codes: Object.keys(op.responses), op })));
    expect(ops.length).toBeGreaterThan(55);
    for (const { route, codes, op } of ops) {
      expect({ route, success: codes.some((c) => c.startsWith('2')) }).toEqual({ route, success: true });
      expect({ route, codes: codes.filter((c) => c === '4XX' || c === '5XX') }).toEqual({ route, codes: ['4XX', '5XX'] });
      if (route.includes(' /api') && route !== 'POST /api/login') expect({ route, has401and403: codes.includes('401') && codes.includes('403') }).toEqual({ route, has401and403: true });
      if (route.includes('{')) expect({ route, has404: codes.includes('404') }).toEqual({ route, has404: true });
      const error = Object.values(op.responses['5XX']!.content!)[0]!.schema as { properties: { error: { properties: { code: { enum: string[] } } } } };
      expect(error.properties.error.properties.code.enum).toContain('LW_ERR_INTERNAL');
    }
  });

  it('no answer names a channel secret or a password hash, so none can leave even if a route forgets to hide it', async () => {
    const doc = (await t.call(null, 'GET', '/docs/json')).json<{ paths: Record<string, Record<string, { responses: unknown }>> }>();
    const named = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'properties') Object.keys(v as object).forEach((p) => named.add(p));
          walk(v);
        }
      }
    };
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) walk(op.responses);
    expect(named).toContain('secretSet');
    expect([...named].filter((p) => /^(secret|passwordHash|passwordExpiresAt|tokenSha256)$/.test(p))).toEqual([]);
  });
});
