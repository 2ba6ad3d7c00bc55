import type Database from 'better-sqlite3';
import { Value } from '@sinclair/typebox/value';
import { clip, lwError, preview, LiftAssignment, Organisation, Person, RotaShift, type CrewRole } from '@liftwatch/contract';

/**
 * Who looks after each lift and who is on call (issue 7 §3): organisations (maintenance units with
 * their supervisor and manager, districts with their regulator and reinforcement team, use units),
 * the people and group robots that receive alerts, which unit each lift belongs to, and each unit's
 * rota of shifts with a primary and a backup.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS crew_orgs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, roles_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crew_people (id TEXT PRIMARY KEY, name TEXT NOT NULL, org_id TEXT NOT NULL, channels_json TEXT NOT NULL, severities_json TEXT NOT NULL, quiet_json TEXT);
CREATE TABLE IF NOT EXISTS crew_lifts (lift_id TEXT PRIMARY KEY, maintenance_unit TEXT NOT NULL, use_unit TEXT, district TEXT);
CREATE TABLE IF NOT EXISTS crew_rota (id INTEGER PRIMARY KEY AUTOINCREMENT, unit_id TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, primary_id TEXT NOT NULL, backup_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS crew_rota_by_unit ON crew_rota (unit_id, starts_at);
`;

interface OrgRow { id: string; kind: Organisation['kind']; name: string; roles_json: string }
interface PersonRow { id: string; name: string; org_id: string; channels_json: string; severities_json: string; quiet_json: string | null }
interface LiftRow { lift_id: string; maintenance_unit: string; use_unit: string | null; district: string | null }
interface ShiftRow { id: number; unit_id: string; starts_at: number; ends_at: number; primary_id: string; backup_id: string }

/** Validates a body against its schema with defaults; a wrong one is a 400 that names the field. */
export function parseBody<T>(schema: Parameters<typeof Value.Check>[0], input: unknown, what: string): T {
  const value = Value.Default(schema, structuredClone(input));
  const first = Value.Errors(schema, value).First();
  if (first) throw lwError('LW_ERR_REQUEST_INVALID', `${what}: ${clip(first.path, 100) || '(body)'} ${first.message.toLowerCase()} (got ${preview(first.value)})`);
  return value as T;
}

const toOrg = (r: OrgRow): Organisation => ({ id: r.id, kind: r.kind, name: r.name, roles: JSON.parse(r.roles_json) as Record<string, string[]> });
const toPerson = (r: PersonRow): Person => ({
  id: r.id, name: r.name, orgId: r.org_id, channels: JSON.parse(r.channels_json) as Person['channels'],
  severities: JSON.parse(r.severities_json) as Person['severities'], quietHours: r.quiet_json ? JSON.parse(r.quiet_json) as Person['quietHours'] : null,
});
const toShift = (r: ShiftRow): RotaShift & { id: number } => ({ id: r.id, unitId: r.unit_id, startsAt: r.starts_at, endsAt: r.ends_at, primary: r.primary_id, backup: r.backup_id });

export function createCrewStore(db: Database.Database) {
  db.exec(SCHEMA);
  const putOrg = db.prepare(`INSERT INTO crew_orgs (id, kind, name, roles_json) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, roles_json = excluded.roles_json`);
  const getOrgRow = db.prepare<[string], OrgRow>(`SELECT * FROM crew_orgs WHERE id = ?`);
  const allOrgs = db.prepare<[], OrgRow>(`SELECT * FROM crew_orgs ORDER BY id`);
  const putPerson = db.prepare(`INSERT INTO crew_people (id, name, org_id, channels_json, severities_json, quiet_json) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, org_id = excluded.org_id, channels_json = excluded.channels_json, severities_json = excluded.severities_json, quiet_json = excluded.quiet_json`);
  const getPersonRow = db.prepare<[string], PersonRow>(`SELECT * FROM crew_people WHERE id = ?`);
  const allPeople = db.prepare<[], PersonRow>(`SELECT * FROM crew_people ORDER BY id`);
  const putLift = db.prepare(`INSERT INTO crew_lifts (lift_id, maintenance_unit, use_unit, district) VALUES (?, ?, ?, ?)
    ON CONFLICT (lift_id) DO UPDATE SET maintenance_unit = excluded.maintenance_unit, use_unit = excluded.use_unit, district = excluded.district`);
  const getLiftRow = db.prepare<[string], LiftRow>(`SELECT * FROM crew_lifts WHERE lift_id = ?`);
  const allLifts = db.prepare<[], LiftRow>(`SELECT * FROM crew_lifts ORDER BY lift_id`);
  const insertShift = db.prepare(`INSERT INTO crew_rota (unit_id, starts_at, ends_at, primary_id, backup_id) VALUES (?, ?, ?, ?, ?)`);
  const shiftsOf = db.prepare<[string, number], ShiftRow>(`SELECT * FROM crew_rota WHERE unit_id = ? AND ends_at > ? ORDER BY starts_at LIMIT 200`);
  const shiftAt = db.prepare<[string, number, number], ShiftRow>(`SELECT * FROM crew_rota WHERE unit_id = ? AND starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC, id DESC LIMIT 1`);

  function upsertOrg(input: unknown): Organisation {
    const org = parseBody<Organisation>(Organisation, input, 'organisation');
    putOrg.run(org.id, org.kind, org.name, JSON.stringify(org.roles));
    return org;
  }

  function upsertPerson(input: unknown): Person {
    const p = parseBody<Person>(Person, input, 'person');
    if (!getOrgRow.get(p.orgId)) throw lwError('LW_ERR_REQUEST_INVALID', `person ${p.id}: organisation ${JSON.stringify(p.orgId)} does not exist; create it first with PUT /api/organisations/${p.orgId}`);
    putPerson.run(p.id, p.name, p.orgId, JSON.stringify(p.channels), JSON.stringify(p.severities), p.quietHours ? JSON.stringify(p.quietHours) : null);
    return p;
  }

  function assignLift(input: unknown): LiftAssignment {
    const a = parseBody<LiftAssignment>(LiftAssignment, input, 'lift assignment');
    const unit = getOrgRow.get(a.maintenanceUnit);
    if (unit?.kind !== 'maintenanceUnit') throw lwError('LW_ERR_REQUEST_INVALID', `lift ${a.liftId}: ${JSON.stringify(a.maintenanceUnit)} is not a maintenance unit; create it with kind "maintenanceUnit"`);
    putLift.run(a.liftId, a.maintenanceUnit, a.useUnit, a.district);
    return a;
  }

  function addShift(input: unknown): RotaShift & { id: number } {
    const s = parseBody<RotaShift>(RotaShift, input, 'rota shift');
    if (s.endsAt <= s.startsAt) throw lwError('LW_ERR_REQUEST_INVALID', `rota shift ends at ${s.endsAt}, not after its start ${s.startsAt}: give endsAt > startsAt`);
    for (const id of [s.primary, s.backup]) if (!getPersonRow.get(id)) throw lwError('LW_ERR_REQUEST_INVALID', `rota shift: person ${JSON.stringify(id)} does not exist`);
    const id = Number(insertShift.run(s.unitId, s.startsAt, s.endsAt, s.primary, s.backup).lastInsertRowid);
    return { ...s, id };
  }

  function getLift(liftId: string): LiftAssignment | undefined {
    const r = getLiftRow.get(liftId);
    return r ? { liftId: r.lift_id, maintenanceUnit: r.maintenance_unit, useUnit: r.use_unit, district: r.district } : undefined;
  }

  /**
   * The people an escalation step reaches for a lift at time `at`, and the roles nobody fills
   * (a gap is written to the alert's audit: an alert that reaches nobody must be visible).
   */
  function resolve(liftId: string, roles: readonly CrewRole[], at: number): { people: Array<Person & { role: CrewRole }>; gaps: string[] } {
    const lift = getLift(liftId);
    const people: Array<Person & { role: CrewRole }> = [];
    const gaps: string[] = [];
    if (!lift) return { people, gaps: [`lift ${liftId} belongs to no maintenance unit (PUT /api/crew-lifts/${liftId})`] };
    const shift = shiftAt.get(lift.maintenanceUnit, at, at);
    const unit = getOrgRow.get(lift.maintenanceUnit);
    const district = lift.district ? getOrgRow.get(lift.district) : undefined;
    for (const role of roles) {
      let ids: string[] = [];
      if (role === 'primary' || role === 'backup') ids = shift ? [role === 'primary' ? shift.primary_id : shift.backup_id] : [];
      else if (role === 'supervisor' || role === 'manager') ids = unit ? (toOrg(unit).roles[role] ?? []) : [];
      else ids = district ? (toOrg(district).roles[role] ?? []) : [];
      const found = ids.map((id) => getPersonRow.get(id)).filter((r): r is PersonRow => r !== undefined);
      if (found.length === 0) gaps.push(`no ${role} for lift ${liftId} (unit ${lift.maintenanceUnit}${role === 'regulator' || role === 'reinforcement' ? `, district ${lift.district ?? 'none'}` : ''}${role === 'primary' || role === 'backup' ? `: no rota shift at ${new Date(at).toISOString()}` : ''})`);
      for (const r of found) if (!people.some((p) => p.id === r.id)) people.push({ ...toPerson(r), role });
    }
    return { people, gaps };
  }

  return {
    upsertOrg, upsertPerson, assignLift, addShift, getLift, resolve,
    listLifts: (): LiftAssignment[] => allLifts.all().map((r) => ({ liftId: r.lift_id, maintenanceUnit: r.maintenance_unit, useUnit: r.use_unit, district: r.district })),
    getOrg: (id: string) => { const r = getOrgRow.get(id); return r ? toOrg(r) : undefined; },
    listOrgs: () => allOrgs.all().map(toOrg),
    getPerson: (id: string) => { const r = getPersonRow.get(id); return r ? toPerson(r) : undefined; },
    listPeople: () => allPeople.all().map(toPerson),
    shifts: (unitId: string, from: number) => shiftsOf.all(unitId, from).map(toShift),
    onCall: (unitId: string, at: number) => { const r = shiftAt.get(unitId, at, at); return r ? toShift(r) : undefined; },
  };
}

export type CrewStore = ReturnType<typeof createCrewStore>;
