import { LIFT_PROFILE_FIELDS, lwError, type InspectionRecord, type LiftProfile } from '@liftwatch/contract';
import type { CrewsPort, LiftRegistryPort } from '../src/deps.js';

const EMPTY = Object.fromEntries(LIFT_PROFILE_FIELDS.map((f) => [f, null])) as Omit<LiftProfile, 'liftId' | 'updatedAt' | 'updatedBy'>;

/**
 * The lift registry in memory, with the state store's rules where routes rely on them: fields set one
 * by one, one lift per registration code, the units written as the lift's crew assignment, one
 * inspection per lift and date. `changed` hears of every entry written (the lifts' summaries).
 */
export function fakeRegistry(crews: CrewsPort, changed: (entry: LiftProfile) => void, now: () => number = Date.now): LiftRegistryPort & { readonly entries: Map<string, LiftProfile> } {
  const entries = new Map<string, LiftProfile>();
  const inspections: InspectionRecord[] = [];
  const latest = (liftIds: readonly string[]) => new Map(liftIds.flatMap((id) => {
    const [newest] = inspections.filter((i) => i.liftId === id).sort((a, b) => b.inspectedOn.localeCompare(a.inspectedOn));
    return newest ? [[id, newest] as const] : [];
  }));
  return {
    entries,
    get: (liftId) => entries.get(liftId),
    getMany: (liftIds) => liftIds.flatMap((id) => entries.get(id) ?? []),
    async put(list, actor) {
      for (const e of list) {
        const holder = [...entries.values()].find((p) => e.registrationCode && p.registrationCode === e.registrationCode && p.liftId !== e.liftId);
        if (holder) throw lwError('LW_ERR_CONFLICT', `registration code ${e.registrationCode} of lift ${e.liftId} is already lift ${holder.liftId}'s`);
      }
      for (const e of list) {
        const entry: LiftProfile = { ...EMPTY, ...entries.get(e.liftId), ...e, updatedAt: now(), updatedBy: actor };
        if (e.maintenanceUnit) await crews.assignLift({ liftId: e.liftId, maintenanceUnit: e.maintenanceUnit, useUnit: entry.useUnit ?? null, district: (await crews.getLift(e.liftId))?.district ?? null });
        entries.set(e.liftId, entry);
        changed(entry);
      }
      return list.map((e) => entries.get(e.liftId)!);
    },
    list: ({ limit, offset, search }) => [...entries.values()].sort((a, b) => a.liftId.localeCompare(b.liftId))
      .filter((p) => !search || [p.liftId, p.registrationCode, p.name, p.address].some((v) => v?.toLowerCase().includes(search.toLowerCase())))
      .slice(offset, offset + limit),
    byRegistrationCode: (codes) => new Map([...entries.values()].filter((p) => p.registrationCode && codes.includes(p.registrationCode)).map((p) => [p.registrationCode!, p.liftId])),
    inspections: {
      async record(list, actor) {
        for (const { liftId, ...w } of list) {
          const at = inspections.findIndex((i) => i.liftId === liftId && i.inspectedOn === w.inspectedOn);
          const record: InspectionRecord = { id: inspections.length + 1, liftId, ...w, inspector: w.inspector ?? null, reportNo: w.reportNo ?? null, note: w.note ?? '', recordedAt: now(), recordedBy: actor };
          if (at >= 0) inspections[at] = { ...record, id: inspections[at]!.id };
          else inspections.push(record);
        }
      },
      ofLift: (liftId) => inspections.filter((i) => i.liftId === liftId).sort((a, b) => b.inspectedOn.localeCompare(a.inspectedOn)),
      latest,
      dueBefore: (date) => [...latest([...new Set(inspections.map((i) => i.liftId))]).values()].filter((i) => i.nextDue < date).sort((a, b) => a.nextDue.localeCompare(b.nextDue)),
    },
  };
}
