import { request } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import type { ApiError } from '@liftwatch/contract';
import { tempDir, waitFor } from '@liftwatch/test-kit';
import { makeConfig, type AllInOneConfig } from '../src/config.js';
import { startLiftwatch, type Running } from '../src/liftwatch.js';

/** Password of the first admin in tests (setting adminPassword). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** Logs in through POST /api/login and returns the session token. */
export async function login(httpUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${httpUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login of ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * POST a JSON body from another loopback address (127.0.0.2, …: every 127/8 address is this
 * machine), as a client elsewhere would; the server sees it as that client's address.
 */
export function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject).end(JSON.stringify(body));
  });
}

/** The `error` of an API answer: its code and message. */
export const errorOf = async (res: Response): Promise<ApiError['error']> => ((await res.json()) as ApiError).error;

export interface Authed {
  readonly token: string;
  /** fetch(httpUrl + path) with the token. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** GET a JSON body; throws on a status other than 2xx. */
  get<T = unknown>(path: string): Promise<T>;
}

export function authed(httpUrl: string, token: string): Authed {
  const call = (path: string, init: RequestInit = {}) => fetch(`${httpUrl}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
  return {
    token,
    fetch: call,
    async get<T>(path: string) {
      const res = await call(path);
      const text = await res.text();
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    },
  };
}

/** Starts the all-in-one process in this test process on random loopback ports with a fresh data dir, logged in as admin. */
export async function startTestLiftwatch(over: Partial<AllInOneConfig> = {}): Promise<Running & Authed & { dir: ReturnType<typeof tempDir>; mqttPort: number; stop: () => Promise<void> }> {
  const dir = tempDir();
  const running = await startLiftwatch(makeConfig({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, dataDir: dir.path, adminPassword: TEST_ADMIN_PASSWORD, ...over }));
  const mqttPort = Number(new URL(running.mqttUrl).port);
  const admin = authed(running.httpUrl, await login(running.httpUrl, 'admin', TEST_ADMIN_PASSWORD));
  return { ...running, ...admin, dir, mqttPort, stop: async () => { await running.close(); dir.remove(); } };
}

/** MQTT credentials of a terminal of `liftId`, provisioned now (or given a fresh token if it exists). */
export async function credentials(lw: Pick<Running, 'terminals'>, liftId: string, terminalId = `T-${liftId}`): Promise<{ clientId: string; username: string; password: string }> {
  const issued = await lw.terminals.get(terminalId) ? await lw.terminals.rotate(terminalId) : await lw.terminals.add({ liftId, terminalId });
  return { clientId: terminalId, username: terminalId, password: issued.token };
}

/** An mqtt.js terminal of `liftId`, provisioned in the registry and connected with its token. */
export async function terminal(lw: Pick<Running, 'terminals' | 'mqttUrl'>, liftId: string, terminalId?: string): Promise<MqttClient> {
  return mqtt.connectAsync(lw.mqttUrl, { ...(await credentials(lw, liftId, terminalId)), protocolVersion: 4, reconnectPeriod: 200 });
}

/**
 * One terminal per lift, provisioned and connected on first use: the broker's ACL lets a terminal
 * publish only its own lift's topics. `lw` is a getter because tests start liftwatch in beforeAll.
 */
export function terminalsPerLift(lw: () => Pick<Running, 'terminals' | 'mqttUrl'>) {
  const clients = new Map<string, MqttClient>();
  return {
    async of(liftId: string): Promise<MqttClient> {
      let c = clients.get(liftId);
      if (!c) clients.set(liftId, (c = await terminal(lw(), liftId)));
      return c;
    },
    async end(): Promise<void> {
      for (const c of clients.values()) await c.endAsync();
      clients.clear();
    },
  };
}

/** The model serving's scheduling as GET /api/models shows it. */
interface Scheduling { scheduling: { waiting: number; scored: number } }

/**
 * A wait until every scheduled model scoring is done (its health score too) and at least one more
 * than at the last wait ended: after records were published, their lifts have been scored.
 */
export function scoringSettled<S extends Scheduling>(lw: () => Authed) {
  let scoredBefore = 0;
  return async (): Promise<S> => {
    const s = await waitFor('scoring to settle', async () => {
      const st = await lw().get<S>('/api/models');
      return st.scheduling.waiting === 0 && st.scheduling.scored > scoredBefore ? st : undefined;
    }, 20_000);
    scoredBefore = s.scheduling.scored;
    return s;
  };
}
