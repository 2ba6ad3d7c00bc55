import { registrationCodeProblem, type LiftProfileWrite, type Organisation } from '@liftwatch/contract';

/** A problem with one field of a registry write (null: the entry as a whole), said for people. */
export interface FieldProblem { readonly column: string | null; readonly message: string }

export interface EntryRules {
  /** Another region's registration code pattern; undefined: the Chinese 20-digit structure. */
  readonly registrationCodePattern?: RegExp | undefined;
  /** Organisations by id, to check the units named. */
  readonly orgs: ReadonlyMap<string, Pick<Organisation, 'kind'>>;
}

/**
 * What is wrong with a registry write beyond its schema (the fields' types and ranges): the
 * registration code's format, units that are organisations of the right kind, coordinates given
 * in pairs, no floors for escalators and moving walks. `current` is the entry as stored, if any.
 */
export function entryProblems(e: LiftProfileWrite, rules: EntryRules, current?: LiftProfileWrite): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (e.registrationCode) {
    const wrong = registrationCodeProblem(e.registrationCode, rules.registrationCodePattern);
    if (wrong) problems.push({ column: 'registrationCode', message: wrong });
  }
  const unit = (column: 'maintenanceUnit' | 'useUnit', kind: Organisation['kind']) => {
    const id = e[column];
    if (!id) return;
    const org = rules.orgs.get(id);
    if (org?.kind !== kind) problems.push({ column, message: `${JSON.stringify(id)} is ${org ? `an organisation of kind ${org.kind}` : 'no organisation'}, not a ${kind}: create it first (PUT /api/organisations/${id} with kind "${kind}") or name another` });
  };
  unit('maintenanceUnit', 'maintenanceUnit');
  unit('useUnit', 'useUnit');
  if (e.maintenanceUnit === null) problems.push({ column: 'maintenanceUnit', message: 'the maintenance unit cannot be emptied: give the unit that takes the lift over' });
  const lat = e.latitude === undefined ? current?.latitude ?? null : e.latitude;
  const lon = e.longitude === undefined ? current?.longitude ?? null : e.longitude;
  if ((lat === null) !== (lon === null)) problems.push({ column: lat === null ? 'latitude' : 'longitude', message: `coordinates come in pairs: give latitude and longitude together (${lat ?? '—'}, ${lon ?? '—'}), or neither` });
  const type = e.type === undefined ? current?.type ?? null : e.type;
  const floors = e.floors === undefined ? current?.floors ?? null : e.floors;
  if ((type === 'escalator' || type === 'movingWalk') && floors !== null) problems.push({ column: 'floors', message: `a${type === 'escalator' ? 'n escalator' : ' moving walk'} has no floors (got ${floors}): leave floors empty` });
  return problems;
}
