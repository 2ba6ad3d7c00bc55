import {
  faultCode, GOLDEN, LIFT_PROFILE_FIELDS, lwError,
  type AlertDetail, type AlertState, type AlertView, type DeadLetterView, type HealthView, type IssuedTerminal, type LiftRiskView, type LiftProfile, type LiftSummary, type RecordStream, type TerminalView,
} from '@liftwatch/contract';
import type { Change, DashboardDeps, FindingsPort, Readiness, StoredRecord, TerminalsPort } from '../src/deps.js';
import { fakeCrews, type FakeCrews } from './fake-crews.js';
import { fakeFindings } from './fake-findings.js';
import { fakeUsers, type FakeUsers } from './fake-users.js';
import { fakeMaintenance } from './fake-maintenance.js';
import { fakeRegistry } from './fake-registry.js';

const EMPTY_PROFILE = Object.fromEntries(LIFT_PROFILE_FIELDS.map((f) => [f, null])) as Omit<LiftProfile, 'liftId' | 'updatedAt' | 'updatedBy'>;
const registeredOf = (p: LiftProfile | undefined) => (p ? { areaCode: p.areaCode, updatedAt: p.updatedAt, updatedBy: p.updatedBy, name: p.name, address: p.address } : null);

/**
 * Every port of the dashboards (src/deps.ts) in memory, for tests of the API through `inject`
 * without the platform. Each keeps the rules the real one has where a route relies on them (an
 * alert's lifecycle, a new user's password); `lift`, `record` and `raise` put data in.
 */
export interface FakePorts {
  readonly deps: DashboardDeps & { crews: FakeCrews; users: FakeUsers; liftRegistry: ReturnType<typeof fakeRegistry>; terminals: TerminalsPort; maintenance: ReturnType<typeof fakeMaintenance>; findings: FindingsPort };
  /** Every change published, in order. */
  readonly published: Change[];
  /** How many listen to the change feed now (a live stream is one). */
  subscribers(): number;
  /** Adds or replaces a lift; `areaCode`: in the platform's registry, `reportedAreaCode`: what its terminal says. */
  lift(liftId: string, over?: Partial<LiftSummary> & { areaCode?: string | null; reportedAreaCode?: string }): LiftSummary;
  /** Stores a record of a lift (the newest first in `records`). */
  record(liftId: string, stream: RecordStream, record: Record<string, unknown>, receivedAt?: number): void;
  /** Opens an alert; `over` sets any of its fields. */
  raise(liftId: string, code: string, over?: Partial<AlertDetail>): AlertDetail;
  /** Sets what GET /readyz answers. */
  setReadiness(r: Readiness): void;
  /** Sets a lift's health score (and adds it to its history). */
  setHealth(view: HealthView): void;
  /** Sets a lift's predicted risks (`risk(liftId)` is the highest `relative` of its families). */
  setPrediction(view: LiftRiskView): void;
}

const STATE_NEXT: Record<AlertState, readonly AlertState[]> = {
  open: ['acknowledged', 'onSite', 'resolved', 'falseAlarm'], acknowledged: ['onSite', 'resolved', 'falseAlarm'], onSite: ['resolved', 'falseAlarm'], resolved: [], falseAlarm: [],
};
const ACTIVE = new Set<AlertState>(['open', 'acknowledged', 'onSite']);

export function fakePorts(now: () => number = Date.now): FakePorts {
  const lifts = new Map<string, LiftSummary>();
  const records = new Map<string, StoredRecord[]>();
  const alerts = new Map<number, AlertDetail>();
  const terminals = new Map<string, TerminalView>();
  const listeners = new Set<(c: Change) => void>();
  const published: Change[] = [];
  const deadLetters: DeadLetterView[] = [];
  let readiness: Readiness = { ready: true, checks: [] };
  const publish = (change: Change) => {
    published.push(change);
    for (const l of [...listeners]) l(change);
  };
  const view = ({ evidence: _e, audit: _a, ...v }: AlertDetail): AlertView => v;
  const alertOf = (id: number) => {
    const a = alerts.get(id);
    if (!a) throw lwError('LW_ERR_NOT_FOUND', `alert ${id} does not exist`);
    return a;
  };
  const changed = (a: AlertDetail, action: string, actor: string, note: string) => {
    a.updatedAt = now();
    a.audit.push({ at: a.updatedAt, action, actor, note });
    publish({ kind: 'alert', alert: view(a) });
    return view(a);
  };
  const listOrder = (a: AlertView, b: AlertView) => a.severity.localeCompare(b.severity) || b.updatedAt - a.updatedAt || a.id - b.id;

  const crews = fakeCrews({
    exists: (id) => alerts.has(id),
    assign: (id, assignee, actor) => changed(Object.assign(alertOf(id), { assignee }), 'assigned', actor, assignee),
    note: (id, actor, note) => {
      alertOf(id).audit.push({ at: now(), action: 'note', actor, note });
      return view(alertOf(id));
    },
  }, now);

  const liftRegistry = fakeRegistry(crews, (entry) => {
    const lift = lifts.get(entry.liftId);
    if (lift) lift.registered = registeredOf(entry);
  }, now);
  const maintenance = fakeMaintenance(now);

  const issue = (t: TerminalView): IssuedTerminal => ({ terminal: t, token: `token-${t.terminalId}-${t.rotatedAt}` });
  const terminalsPort: TerminalsPort = {
    async add(input) {
      const terminalId = input.terminalId ?? `T-${input.liftId ?? 'service'}`;
      if (terminals.has(terminalId)) throw lwError('LW_ERR_CONFLICT', `terminal ${JSON.stringify(terminalId)} is registered already: rotate its token instead`);
      const t: TerminalView = { terminalId, liftId: input.liftId ?? null, role: input.role ?? 'terminal', enabled: true, createdAt: now(), rotatedAt: now() };
      terminals.set(terminalId, t);
      return issue(t);
    },
    async addCsv(text) {
      const rows = text.trim().split(/\r?\n/).map((line) => line.split(','));
      return Promise.all(rows.map(([liftId, terminalId]) => terminalsPort.add({ liftId, terminalId })));
    },
    async rotate(terminalId) {
      const t = await terminalsPort.get(terminalId);
      if (!t) throw lwError('LW_ERR_NOT_FOUND', `terminal ${JSON.stringify(terminalId)} is not registered`);
      return issue(Object.assign(t, { rotatedAt: t.rotatedAt + 1 }));
    },
    async setEnabled(terminalId, enabled) {
      const t = await terminalsPort.get(terminalId);
      if (!t) throw lwError('LW_ERR_NOT_FOUND', `terminal ${JSON.stringify(terminalId)} is not registered`);
      return Object.assign(t, { enabled });
    },
    get: async (terminalId) => terminals.get(terminalId),
    list: async (filter) => [...terminals.values()].filter((t) => !filter?.liftId || t.liftId === filter.liftId),
  };

  const findings = fakeFindings(alertOf, now);
  const health = new Map<string, HealthView>();
  const healthHistory = new Map<string, HealthView[]>();
  const predictions = new Map<string, LiftRiskView>();
  const deps: FakePorts['deps'] = {
    lifts: {
      list: ({ limit, offset }) => [...lifts.values()].slice(offset, offset + limit),
      get: (liftId) => lifts.get(liftId),
      getMany: (ids) => ids.flatMap((id) => lifts.get(id) ?? []),
      count: () => lifts.size,
      records: async (liftId, { stream, limit }) => (records.get(liftId) ?? []).filter((r) => stream === undefined || r.stream === stream).slice(0, limit),
      inArea: (areaCode) => [...lifts.values()].filter((l) => l.registered?.areaCode === areaCode).map((l) => l.liftId),
    },
    telemetry: {
      async range(q) {
        const values = (records.get(q.liftId) ?? []).filter((r) => r.stream === q.stream && r.ts >= q.fromMs && r.ts < q.toMs)
          .map((r) => ({ t: Math.floor(r.ts / q.bucketMs) * q.bucketMs, v: (r.record as Record<string, unknown>)[q.field] })).filter((x): x is { t: number; v: number } => typeof x.v === 'number');
        const buckets = new Map<number, number[]>();
        for (const { t, v } of values) buckets.set(t, [...(buckets.get(t) ?? []), v]);
        return [...buckets].sort(([a], [b]) => a - b).map(([t, vs]) => ({ t, min: Math.min(...vs), max: Math.max(...vs), mean: vs.reduce((s, v) => s + v, 0) / vs.length, count: vs.length }));
      },
      async dailyCounts(stream, fromMs, toMs, liftId) {
        const counts = new Map<string, { liftId: string; day: string; count: number }>();
        for (const [id, rs] of records) {
          for (const r of rs) {
            if ((liftId !== undefined && id !== liftId) || r.stream !== stream || r.ts < fromMs || r.ts >= toMs) continue;
            const day = new Date(r.ts).toISOString().slice(0, 10);
            const c = counts.get(`${id}/${day}`) ?? { liftId: id, day, count: 0 };
            c.count++;
            counts.set(`${id}/${day}`, c);
          }
        }
        return [...counts.values()].sort((a, b) => a.liftId.localeCompare(b.liftId) || a.day.localeCompare(b.day));
      },
      async latestPerLift(stream, liftIds) {
        const out = new Map<string, { record: Record<string, unknown> }>();
        for (const id of liftIds) {
          const r = (records.get(id) ?? []).find((x) => x.stream === stream);
          if (r) out.set(id, { record: r.record as Record<string, unknown> });
        }
        return out;
      },
    },
    alerts: {
      list: ({ state, liftId, limit = 500 }) => [...alerts.values()].map(view)
        .filter((a) => (state === undefined || (state === 'active' ? ACTIVE.has(a.state) : a.state === state)) && (liftId === undefined || a.liftId === liftId))
        .sort(listOrder).slice(0, limit),
      get: (id) => alerts.get(id),
      transition(id, to, actor, note = '', finding) {
        const a = alertOf(id);
        if (!STATE_NEXT[a.state].includes(to)) throw lwError('LW_ERR_REQUEST_INVALID', `alert ${id} is ${a.state}; it can move to ${STATE_NEXT[a.state].join(', ') || 'nothing (it is closed)'}, not to ${to}`);
        findings.check(a, to, finding);
        a.state = to;
        if (to === 'acknowledged') a.assignee ??= actor;
        const view = changed(a, to, actor, note);
        findings.closed(a, to, finding, actor);
        return view;
      },
    },
    deadLetters: {
      list: ({ limit, offset }) => deadLetters.slice(offset, offset + limit),
      count: () => deadLetters.length,
      terminals: () => [],
    },
    stats: () => ({ ingest: { messages: 0, recordsAccepted: 0, duplicates: 0, rejected: 0, rejectedByCode: {}, alertsRaised: alerts.size, refusedBusy: 0, droppedQos0: 0 }, mqttClients: 0, broker: { publishesIn: 0 } }),
    readiness: () => readiness,
    metrics: { text: async () => '# TYPE liftwatch_up gauge\nliftwatch_up 1\n', contentType: 'text/plain; version=0.0.4' },
    changes: {
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      publish,
    },
    crews,
    terminals: terminalsPort,
    health: {
      score: (liftId) => health.get(liftId) ?? null, gradeCounts: (ids) => ({ none: ids.filter((id) => !health.has(id)).length }),
      history: (liftId, limit) => [...(healthHistory.get(liftId) ?? [])].reverse().slice(0, limit),
    },
    predictions: {
      lift: (liftId) => predictions.get(liftId) ?? null,
      risk: (liftId) => (predictions.has(liftId) ? Math.max(...predictions.get(liftId)!.families.map((f) => f.relative)) : null),
    },
    models: { status: () => ({ registryDir: '/models', models: [] }) },
    findings: findings.port,
    users: fakeUsers(),
    liftRegistry,
    maintenance,
  };

  return {
    deps,
    published,
    subscribers: () => listeners.size,
    lift(liftId, { areaCode, reportedAreaCode, ...over } = {}) {
      const at = now();
      if (areaCode !== undefined) liftRegistry.entries.set(liftId, { ...(liftRegistry.entries.get(liftId) ?? EMPTY_PROFILE), liftId, areaCode, updatedAt: at, updatedBy: 'admin' });
      const summary: LiftSummary = {
        liftId, firstSeenAt: at, lastSeenAt: at, presence: 'online', status: { ...GOLDEN.status, liftId },
        registry: reportedAreaCode === undefined ? null : { ...GOLDEN.registry, liftId, areaCode: reportedAreaCode },
        registered: registeredOf(liftRegistry.entries.get(liftId)), recordsTotal: 0, openAlerts: 0, ...over,
      };
      lifts.set(liftId, summary);
      return summary;
    },
    record(liftId, stream, record, receivedAt = now()) {
      const r = { ...record, liftId } as { seq?: number; ts?: number };
      records.set(liftId, [{ stream, seq: r.seq ?? 0, ts: r.ts ?? receivedAt, receivedAt, record: r }, ...(records.get(liftId) ?? [])]);
    },
    raise(liftId, code, over = {}) {
      const at = now();
      const id = alerts.size + 1;
      const row = faultCode(code);
      const alert: AlertDetail = {
        id, liftId, code, severity: row?.severity ?? 'P2', nameEn: row?.nameEn ?? code, nameZh: row?.nameZh ?? code, state: 'open', reason: `test: ${code}`,
        openedAt: at, updatedAt: at, lastSeenAt: at, conditionClearedAt: null, occurrences: 1, assignee: null, evidence: [], audit: [], ...over,
      };
      alerts.set(id, alert);
      publish({ kind: 'alert', alert: view(alert) });
      return alert;
    },
    setReadiness: (r) => void (readiness = r),
    setHealth: (v) => {
      health.set(v.liftId, v);
      healthHistory.set(v.liftId, [...(healthHistory.get(v.liftId) ?? []), v]);
    },
    setPrediction: (v) => void predictions.set(v.liftId, v),
  };
}
