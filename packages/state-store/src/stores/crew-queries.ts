import type Database from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import { prepared, type PreparedQuery } from '../prepared.js';
import type { CrewLiftsTable, OrgsTable, PeopleTable, RotaTable, StateTables } from '../tables.js';

type Db = Kysely<StateTables>;

/**
 * The crew reads an escalation makes for each alert (its lift's unit, the unit's policy, who is on
 * the rota, the organisations and people of the roles), written once: the Kysely path runs them
 * with their values, the SQLite path compiles them once with slots and runs them prepared.
 */
export const crewQueries = {
  org: (q: Db, v: { id: string }) => q.selectFrom('crew_orgs').selectAll().where('id', '=', v.id),
  person: (q: Db, v: { id: string }) => q.selectFrom('crew_people').selectAll().where('id', '=', v.id),
  lift: (q: Db, v: { liftId: string }) => q.selectFrom('crew_lifts').selectAll().where('lift_id', '=', v.liftId),
  shiftAt: (q: Db, v: { unitId: string; at: number }) => q.selectFrom('crew_rota').selectAll().where('unit_id', '=', v.unitId).where('starts_at', '<=', v.at).where('ends_at', '>', v.at)
    .orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(1),
  policy: (q: Db, v: { orgId: string; severity: string }) => q.selectFrom('escalation_policies').select('policy_json').where('org_id', '=', v.orgId).where('severity', '=', v.severity),
};

export interface HotCrewStatements {
  readonly sqlite: Database.Database;
  readonly org: PreparedQuery<{ id: string }, OrgsTable>;
  readonly person: PreparedQuery<{ id: string }, Selectable<PeopleTable>>;
  readonly lift: PreparedQuery<{ liftId: string }, Selectable<CrewLiftsTable>>;
  readonly shiftAt: PreparedQuery<{ unitId: string; at: number }, Selectable<RotaTable>>;
  readonly policy: PreparedQuery<{ orgId: string; severity: string }, { policy_json: string }>;
}

/** The same reads prepared on the SQLite connection (prepared.ts). */
export function hotCrewStatements(sqlite: Database.Database, db: Db): HotCrewStatements {
  return {
    sqlite,
    org: prepared(sqlite, (s) => crewQueries.org(db, s)),
    person: prepared(sqlite, (s) => crewQueries.person(db, s)),
    lift: prepared(sqlite, (s) => crewQueries.lift(db, s)),
    shiftAt: prepared(sqlite, (s) => crewQueries.shiftAt(db, s)),
    policy: prepared(sqlite, (s) => crewQueries.policy(db, s)),
  };
}
