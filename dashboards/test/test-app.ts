import type { FastifyInstance, HTTPMethods } from 'fastify';
import { buildDashboards, type DashboardOptions } from '../src/app.js';
import type { Role } from '../src/auth/schemas.js';
import { fakePorts, type FakePorts } from './fake-ports.js';
import { storedUser } from './fake-users.js';

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  /** The body's bytes as sent. */
  readonly raw: Buffer;
  /** The body parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly ports: FakePorts;
  /** Adds a user (no password: a session is opened for it) and returns the user's session token. */
  user(id: string, role: Role, orgId?: string | null, extra?: { areaCode?: string | null; mustChangePassword?: boolean }): string;
  /** The session token of a user given to `user` (admin's too). */
  token(id: string): string;
  /** A request as `who` (a user id given to `user`, or null for none). */
  call(who: string | null, method: HTTPMethods, url: string, payload?: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * The dashboards over fake ports (fake-ports.ts), ready for `inject`, with an admin logged in as
 * `admin`. No network and no platform: a route's status codes, scope and answers in milliseconds.
 */
export async function testApp(options: DashboardOptions & { ports?: FakePorts } = {}): Promise<TestApp> {
  const { ports = fakePorts(), ...dashboardOptions } = options;
  const users = ports.deps.users;
  const tokens = new Map<string, string>();
  const user: TestApp['user'] = (id, role, orgId = null, extra = {}) => {
    users.put(storedUser(id, role, orgId, extra));
    const token = users.session(id);
    tokens.set(id, token);
    return token;
  };
  user('admin', 'admin');
  const app = buildDashboards(ports.deps, { feedIntervalMs: 20, ...dashboardOptions });
  await app.ready();
  return {
    app,
    ports,
    user,
    token: (id) => tokens.get(id) ?? id,
    async call(who, method, url, payload, headers = {}) {
      const auth = who === null ? {} : { authorization: `Bearer ${tokens.get(who) ?? who}` };
      const res = await app.inject({ method, url, headers: { ...auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
      return { status: res.statusCode, body: res.body, raw: res.rawPayload, headers: res.headers, json: <T>() => res.json<T>() };
    },
    close: () => app.close(),
  };
}

/**
 * Two maintenance units and their lifts, as the scope tests need them: unit A (mu-A, use unit uu-A,
 * district d-1) has lift LA-1 in area 330106, unit B (mu-B, uu-B, d-2) has LB-1 in area 330108;
 * users crewA, mgrA, crewB, useA, regA (district d-1, area 330106).
 */
export async function twoUnits(t: TestApp): Promise<void> {
  const { crews } = t.ports.deps;
  for (const [id, kind] of [['mu-A', 'maintenanceUnit'], ['mu-B', 'maintenanceUnit'], ['uu-A', 'useUnit'], ['uu-B', 'useUnit'], ['d-1', 'district'], ['d-2', 'district']] as const) {
    await crews.upsertOrg({ id, kind, name: `Org ${id}` });
  }
  await crews.upsertPerson({ id: 'pa', name: 'Person A', orgId: 'mu-A', channels: [] });
  await crews.upsertPerson({ id: 'pb', name: 'Person B', orgId: 'mu-B', channels: [] });
  t.ports.lift('LA-1', { areaCode: '330106' });
  t.ports.lift('LB-1', { areaCode: '330108' });
  // Through the API, so the fleet index that scopes are checked against hears of them.
  for (const [liftId, unit, use, district] of [['LA-1', 'mu-A', 'uu-A', 'd-1'], ['LB-1', 'mu-B', 'uu-B', 'd-2']] as const) {
    const r = await t.call('admin', 'PUT', `/api/crew-lifts/${liftId}`, { maintenanceUnit: unit, useUnit: use, district });
    if (r.status !== 200) throw new Error(`assigning ${liftId}: ${r.status} ${r.body}`);
  }
  t.user('crewA', 'crew', 'mu-A');
  t.user('mgrA', 'manager', 'mu-A');
  t.user('crewB', 'crew', 'mu-B');
  t.user('useA', 'useUnit', 'uu-A');
  t.user('regA', 'regulator', 'd-1', { areaCode: '330106' });
}
