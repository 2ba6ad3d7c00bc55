import { expect, it } from 'vitest';
import { checklistFor, DEFAULT_ITEM_SETS } from '@liftwatch/contract';
import type { StateStore } from '../src/index.js';

const DAY = 86_400_000;

/** The lift registry's, inspections' and maintenance's part of the contract suite (contract.ts): two connections (two nodes) to one database. */
export function registryCases(nodes: () => { a: StateStore; b: StateStore }): void {
  const units = async (s: StateStore) => {
    await s.crew.upsertOrg({ id: 'REG-MU', kind: 'maintenanceUnit', name: 'Unit' });
    await s.crew.upsertOrg({ id: 'REG-UU', kind: 'useUnit', name: 'Estate' });
  };

  it('registry: a profile is set field by field, its units are the lift\'s crew assignment, a registration code belongs to one lift', async () => {
    const { a, b } = nodes();
    await units(a);
    await a.liftRegistry.put([{ liftId: 'P-1', registrationCode: '31103301062012000123', name: 'Block 3 lift 2', maintenanceUnit: 'REG-MU', useUnit: 'REG-UU', type: 'traction', ratedSpeedMps: 1.75, floors: 18, latitude: 30.27, longitude: 120.15, installDate: '2012-05-01' }], 'admin', 10);
    await b.liftRegistry.put([{ liftId: 'P-1', areaCode: '330106' }], 'admin2', 20); // the other fields stay
    expect(await b.liftRegistry.get('P-1')).toEqual({
      liftId: 'P-1', registrationCode: '31103301062012000123', name: 'Block 3 lift 2', rescueCode: null, useUnit: 'REG-UU', maintenanceUnit: 'REG-MU', address: null,
      latitude: 30.27, longitude: 120.15, areaCode: '330106', type: 'traction', ratedSpeedMps: 1.75, ratedLoadKg: null, floors: 18, installDate: '2012-05-01', updatedAt: 20, updatedBy: 'admin2',
    });
    expect(await a.crew.getLift('P-1')).toEqual({ liftId: 'P-1', maintenanceUnit: 'REG-MU', useUnit: 'REG-UU', district: null });
    expect((await a.liftRegistry.list({ search: 'BLOCK 3 lift' })).map((e) => e.liftId)).toEqual(['P-1']); // letters in any case
    expect((await b.liftRegistry.list({ search: '0106201200012' })).map((e) => e.liftId)).toEqual(['P-1']); // a part of the registration code
    expect(await a.liftRegistry.list({ search: 'P_1' })).toEqual([]); // _ and % are themselves, not wildcards
    await a.liftRegistry.put([{ liftId: 'P-1', name: null }], 'admin', 30);
    expect(await b.liftRegistry.get('P-1')).toMatchObject({ name: null, registrationCode: '31103301062012000123' });
    await expect(b.liftRegistry.put([{ liftId: 'P-2', registrationCode: '31103301062012000123' }], 'admin')).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/already lift P-1's/) });
    await expect(b.liftRegistry.put([{ liftId: 'P-2', maintenanceUnit: 'REG-UU' }], 'admin')).rejects.toThrow(/"REG-UU" is not a maintenance unit/);
    await expect(b.liftRegistry.put([{ liftId: 'P-2', useUnit: 'REG-UU' }], 'admin')).rejects.toThrow(/a use unit needs the lift's maintenance unit/);
    await expect(b.liftRegistry.put([{ liftId: 'P-2', floors: 1.5 } as never], 'admin')).rejects.toThrow(/lift P-2: \/floors/);
    expect(await a.liftRegistry.get('P-2')).toBeUndefined(); // nothing of a refused write
    expect(await a.liftRegistry.byRegistrationCode(['31103301062012000123', '31103301062012000999'])).toEqual(new Map([['31103301062012000123', 'P-1']]));
  });

  it('registry: 3,000 lifts in one write, read back in pages', async () => {
    const { a, b } = nodes();
    await units(a);
    const many = Array.from({ length: 3_000 }, (_, i) => ({ liftId: `P-M-${String(i).padStart(4, '0')}`, registrationCode: `3110330106201${String(i).padStart(7, '0')}`, maintenanceUnit: 'REG-MU', areaCode: '330110' }));
    expect(await b.liftRegistry.put(many, 'admin')).toHaveLength(3_000);
    expect(await a.liftRegistry.list({ areaCode: '330110', limit: 2, offset: 2_998 })).toMatchObject([{ liftId: 'P-M-2998', maintenanceUnit: 'REG-MU' }, { liftId: 'P-M-2999' }]);
    expect((await a.crew.listLifts()).filter((l) => l.liftId.startsWith('P-M-'))).toHaveLength(3_000);
  });

  it('inspections: one per lift and date (recorded again: corrected), the newest per lift, those due before a date', async () => {
    const { a, b } = nodes();
    await a.inspections.record([{ liftId: 'I-1', inspectedOn: '2024-03-01', result: 'pass', nextDue: '2025-03-01' }, { liftId: 'I-2', inspectedOn: '2024-09-01', result: 'pass', nextDue: '2025-09-01' }], 'admin', 1);
    await b.inspections.record([{ liftId: 'I-1', inspectedOn: '2025-02-20', result: 'fail', nextDue: '2025-04-20', reportNo: 'R-1' }], 'admin', 2);
    await b.inspections.record([{ liftId: 'I-1', inspectedOn: '2025-02-20', result: 'passAfterRecheck', nextDue: '2026-02-20', reportNo: 'R-1' }], 'admin', 3);
    expect((await a.inspections.ofLift('I-1')).map((r) => [r.inspectedOn, r.result])).toEqual([['2025-02-20', 'passAfterRecheck'], ['2024-03-01', 'pass']]);
    expect((await a.inspections.latest(['I-1', 'I-2'])).get('I-1')).toMatchObject({ nextDue: '2026-02-20', reportNo: 'R-1', recordedAt: 3 });
    expect((await b.inspections.dueBefore('2025-10-01')).map((r) => r.liftId).filter((id) => id.startsWith('I-'))).toEqual(['I-2']);
    await expect(a.inspections.record([{ liftId: 'I-3', inspectedOn: '2025-01-01', result: 'pass', nextDue: '2024-01-01' }], 'admin')).rejects.toThrow(/next due 2024-01-01 is not after it/);
    await expect(a.inspections.record([{ liftId: 'I-3', inspectedOn: '2025-13-01', result: 'pass', nextDue: '2026-01-01' }], 'admin')).rejects.toThrow(/\/inspectedOn/);
  });

  it('maintenance: overdue comes from completed work orders and the plan; an alert becomes one work order, also from two nodes at once', async () => {
    const { a, b } = nodes();
    const now = 1_000 * DAY;
    await a.maintenance.putPlans([
      { liftId: 'M-1', startsAt: now - 40 * DAY, cycleDays: 15, itemSet: 'traction' },
      { liftId: 'M-2', startsAt: now - 40 * DAY, cycleDays: 15, itemSet: 'traction' },
      { liftId: 'M-3', startsAt: now - 5 * DAY, cycleDays: 15, itemSet: 'escalator' },
    ], 'admin', 1);
    const order = (liftId: string, over: object = {}) => ({ liftId, kind: 'maintenance' as const, class: 'halfMonthly' as const, alertId: null, dueAt: now, assignee: null, checklist: checklistFor(DEFAULT_ITEM_SETS.traction, 'halfMonthly'), createdBy: 'mgr', createdAt: now, ...over });
    const { order: done } = await b.maintenance.createWorkOrder(order('M-1'));
    expect(await a.maintenance.updateWorkOrder(done.id, ['open'], { state: 'inProgress', startedAt: now - 10 * DAY, visitId: 7 })).toMatchObject({ state: 'inProgress', visitId: 7 });
    expect(await b.maintenance.updateWorkOrder(done.id, ['open'], { state: 'inProgress' })).toBeUndefined(); // moved already
    await a.maintenance.updateWorkOrder(done.id, ['inProgress'], { state: 'completed', endedAt: now - 10 * DAY + 3_600_000, signedBy: 'wang', signedAt: now - 10 * DAY });
    // M-2: a maintenance order begun but not completed does not count.
    await b.maintenance.createWorkOrder(order('M-2'));
    const overdue = (await b.maintenance.overdue(now)).filter((o) => o.liftId.startsWith('M-'));
    expect(overdue).toEqual([{ liftId: 'M-2', dueAt: now - 25 * DAY, lastCompletedAt: null, overdueDays: 25 }]);
    expect(await a.maintenance.lastCompleted('M-1')).toEqual({ halfMonthly: now - 10 * DAY + 3_600_000 });
    const photo = await a.maintenance.addPhoto({ workOrderId: done.id, itemId: 'T-H01', fileKey: 'ab/cd', contentType: 'image/jpeg', sizeBytes: 3, sha256: 'x', uploadedAt: now, uploadedBy: 'wang' });
    expect((await b.maintenance.workOrder(done.id))?.photos).toEqual([photo]);
    expect(await b.maintenance.photo(done.id, photo.id)).toEqual({ meta: photo, fileKey: 'ab/cd' });
    expect(await b.maintenance.photo(done.id + 1, photo.id)).toBeUndefined();

    const made = await Promise.all([a.maintenance.createWorkOrder(order('M-1', { kind: 'repair', class: null, alertId: 4242, checklist: [] })), b.maintenance.createWorkOrder(order('M-1', { kind: 'repair', class: null, alertId: 4242, checklist: [] }))]);
    expect(made[0].order.id).toBe(made[1].order.id);
    expect(made.filter((m) => m.created)).toHaveLength(1);
    expect((await a.maintenance.workOrders({ alertId: 4242, limit: 10 })).map((o) => o.kind)).toEqual(['repair']);
    expect((await a.maintenance.workOrders({ liftId: 'M-1', state: 'active', limit: 10 })).map((o) => o.alertId)).toEqual([4242]);
    await expect(a.maintenance.putPlans([{ liftId: 'M-4', startsAt: 0, cycleDays: 15, itemSet: 'dumbwaiter' as never }], 'admin')).rejects.toThrow(/item set "dumbwaiter" is not one of/);
  });
}
