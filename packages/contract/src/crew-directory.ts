import type { Awaitable } from './awaitable.js';
import type { LiftAssignment, Organisation, Person, RotaShift } from './alerting-api.js';

/**
 * The crews' directory: organisations, people, which unit maintains which lift, and the rota.
 * Alerting's storage implements it (alerting/src/backend.ts, with what escalation needs beside it)
 * and the dashboards read it through their crews port (dashboards/src/deps.ts); inputs are checked
 * against the contract's schemas by the implementation, hence `unknown`.
 */
export interface CrewDirectory {
  upsertOrg(input: unknown): Awaitable<Organisation>;
  getOrg(id: string): Awaitable<Organisation | undefined>;
  listOrgs(): Awaitable<Organisation[]>;
  upsertPerson(input: unknown): Awaitable<Person>;
  getPerson(id: string): Awaitable<Person | undefined>;
  listPeople(): Awaitable<Person[]>;
  assignLift(input: unknown): Awaitable<LiftAssignment>;
  getLift(liftId: string): Awaitable<LiftAssignment | undefined>;
  /** Every lift's assignment: the scope of non-admin users is checked against a cache of them. */
  listLifts(): Awaitable<LiftAssignment[]>;
  addShift(input: unknown): Awaitable<RotaShift & { id: number }>;
  shifts(unitId: string, from: number): Awaitable<Array<RotaShift & { id: number }>>;
}
