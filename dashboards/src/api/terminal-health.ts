import { fleetProblems, type FleetHealthView, type FleetProblem, type LiftSummary, type TerminalHealthRow } from '@liftwatch/contract';
import type { LiftFilter } from '../auth/scope.js';
import type { DashboardDeps } from '../deps.js';
import type { TerminalConfigPort } from '../terminal-config-port.js';
import { visibleLifts } from './lifts.js';

type DeviceFields = Pick<TerminalHealthRow, 'fwVersion' | 'linkRttMs' | 'linkDrops' | 'bufferBacklog' | 'clockOffsetMs'>;
const DEVICE_FIELDS = ['fwVersion', 'linkRttMs', 'linkDrops', 'bufferBacklog', 'clockOffsetMs'] as const;

/** The latest device record's health fields of each lift (null where the record has none). */
async function latestDevices(deps: DashboardDeps, liftIds: readonly string[]): Promise<Map<string, DeviceFields & { deviceAt: number }>> {
  const out = new Map<string, DeviceFields & { deviceAt: number }>();
  const pick = (record: Record<string, unknown>, at: number) => {
    const fields = Object.fromEntries(DEVICE_FIELDS.map((f) => [f, record[f] ?? null])) as DeviceFields;
    return { ...fields, deviceAt: at };
  };
  if (deps.telemetry) {
    for (const [liftId, row] of await deps.telemetry.latestPerLift('device', liftIds)) out.set(liftId, pick(row.record, row.rx ?? Number(row.record['ts'] ?? 0)));
    return out;
  }
  for (const liftId of liftIds) {
    const [last] = await deps.lifts.records(liftId, { stream: 'device', limit: 1 });
    if (last) out.set(liftId, pick(last.record as Record<string, unknown>, last.receivedAt));
  }
  return out;
}

/**
 * The fleet health view: every terminal the user sees with its latest device record, last record
 * and config state, counted as silent, behind or misconfigured against the port's limits; the
 * rows of one problem when asked, else all.
 */
export async function fleetHealth(deps: DashboardDeps, port: TerminalConfigPort, who: { user: { role: string }; canSee: LiftFilter }, problem?: FleetProblem, now = Date.now()): Promise<FleetHealthView> {
  const lifts: LiftSummary[] = who.user.role === 'admin' ? await deps.lifts.list({ limit: 1_000_000, offset: 0 }) : await visibleLifts(deps, who.canSee);
  const ids = lifts.map((l) => l.liftId);
  const [devices, configs] = await Promise.all([latestDevices(deps, ids), port.list(ids)]);
  const configOf = new Map(configs.map((c) => [c.liftId, c]));
  const rows: TerminalHealthRow[] = lifts.map((l) => {
    const d = devices.get(l.liftId);
    const c = configOf.get(l.liftId);
    const row = {
      liftId: l.liftId, lastSeenAt: l.lastSeenAt > 0 ? l.lastSeenAt : null, deviceAt: d?.deviceAt ?? null,
      fwVersion: d?.fwVersion ?? null, linkRttMs: d?.linkRttMs ?? null, linkDrops: d?.linkDrops ?? null, bufferBacklog: d?.bufferBacklog ?? null, clockOffsetMs: d?.clockOffsetMs ?? null,
      config: c ? { desiredVersion: c.desiredVersion, ackedVersion: c.ackedVersion, state: c.state, rejectedReason: c.state === 'rejected' ? c.rejectedReason : null, desiredAt: c.desiredAt } : null,
    };
    return { ...row, problems: fleetProblems(row, port.limits, now) };
  });
  const count = (p: FleetProblem) => rows.filter((r) => r.problems.includes(p)).length;
  return {
    limits: port.limits, total: rows.length,
    counts: { silent: count('silent'), behind: count('behind'), misconfigured: count('misconfigured') },
    terminals: problem === undefined ? rows : rows.filter((r) => r.problems.includes(problem)),
  };
}
