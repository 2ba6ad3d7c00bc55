import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkOrder } from '@liftwatch/contract';
import { testApp, twoUnits, type TestApp } from '../test-app.js';

// Statutory maintenance over fake ports (src/api/maintenance.ts, work-orders.ts, work-order-photos.ts).
const DAY = 86_400_000;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a photo of the brake')]);
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await twoUnits(t);
});
afterAll(() => t.close());

const ok = async <T = WorkOrder>(who: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
  const r = await t.call(who, method, url, body);
  if (r.status !== 200) throw new Error(`${method} ${url}: ${r.status} ${r.body}`);
  return r.json<T>();
};

describe('maintenance plans and overdue', () => {
  it('a lift with no plan is not overdue; one whose last completed visit is older than the cycle is, with its list', async () => {
    expect(await ok('admin', 'GET', '/api/maintenance/overdue')).toEqual({ count: 0, lifts: [] });
    const plan = await ok<{ cycleDays: number; itemSet: string; nextClass: string; nextDueAt: number }>('mgrA', 'PUT', '/api/maintenance-plans/LA-1', { startsAt: Date.now() - 20 * DAY });
    expect(plan).toMatchObject({ cycleDays: 15, itemSet: 'traction', nextClass: 'halfMonthly' });
    expect((await t.call('mgrA', 'PUT', '/api/maintenance-plans/LB-1', { startsAt: 0 })).status).toBe(404); // another unit's lift
    expect((await t.call('crewA', 'PUT', '/api/maintenance-plans/LA-1', { startsAt: 0 })).status).toBe(403);
    await ok('admin', 'PUT', '/api/maintenance-plans/LB-1', { startsAt: Date.now() - 2 * DAY });
    const overdue = await ok<{ count: number; lifts: Array<{ liftId: string; overdueDays: number; lastCompletedAt: null }> }>('admin', 'GET', '/api/maintenance/overdue');
    expect(overdue).toMatchObject({ count: 1, lifts: [{ liftId: 'LA-1', lastCompletedAt: null }] });
    expect(overdue.lifts[0]!.overdueDays).toBeCloseTo(5, 0);
    expect((await ok<{ count: number }>('crewB', 'GET', '/api/maintenance/overdue')).count).toBe(0); // LA-1 is not theirs
  });

  it('the item sets follow TSG T5002\'s annexes, cumulative by class', async () => {
    const { itemSets } = await ok<{ itemSets: Record<string, Array<{ class: string }>> }>('crewA', 'GET', '/api/maintenance/item-sets');
    expect(Object.keys(itemSets)).toEqual(['traction', 'hydraulic', 'escalator']);
  });
});

describe('work orders', () => {
  let order: WorkOrder;
  it('a manager makes the visit due: its class and checklist from the plan; one at a time per lift', async () => {
    order = await ok('mgrA', 'POST', '/api/work-orders', { liftId: 'LA-1', assignee: 'crewA' });
    expect(order).toMatchObject({ liftId: 'LA-1', kind: 'maintenance', class: 'halfMonthly', state: 'open', assignee: 'crewA', startedAt: null });
    expect(order.checklist.length).toBeGreaterThan(10);
    expect(order.checklist.every((e) => e.result === null)).toBe(true);
    expect((await t.call('mgrA', 'POST', '/api/work-orders', { liftId: 'LA-1' })).json()).toMatchObject({ error: { code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/has maintenance work order \d+ still open/) } });
    expect((await t.call('crewA', 'POST', '/api/work-orders', { liftId: 'LA-1' })).status).toBe(403);
    expect((await t.call('crewB', 'GET', `/api/work-orders/${order.id}`)).status).toBe(404);
  });

  it('starts at the check-in, takes photos of its items, is signed off at the check-out when every item has a result; then the lift is no longer overdue', async () => {
    const started = await ok('crewA', 'POST', `/api/work-orders/${order.id}/start`, {});
    expect(started).toMatchObject({ state: 'inProgress', startedAt: expect.any(Number), visitId: expect.any(Number) });
    expect((await t.ports.deps.crews.visits('LA-1', 1))[0]).toMatchObject({ id: started.visitId, technician: 'crewA', endedAt: null });

    const photo = await t.call('crewA', 'POST', `/api/work-orders/${order.id}/photos?itemId=T-H05`, JPEG, { 'content-type': 'image/jpeg' });
    expect(photo.json()).toMatchObject({ itemId: 'T-H05', contentType: 'image/jpeg', sizeBytes: JPEG.length });
    const back = await t.call('useA', 'GET', `/api/work-orders/${order.id}/photos/${photo.json<{ id: number }>().id}`);
    expect([back.status, back.headers['content-type'], back.raw.equals(JPEG)]).toEqual([200, 'image/jpeg', true]);
    const fake = await t.call('crewA', 'POST', `/api/work-orders/${order.id}/photos`, Buffer.from('GIF89a…'), { 'content-type': 'image/jpeg' });
    expect(fake.json()).toMatchObject({ error: { message: expect.stringMatching(/are not a image\/jpeg file/) } });

    const items = order.checklist.map((e) => ({ itemId: e.itemId, result: 'ok' }));
    const early = await t.call('crewA', 'POST', `/api/work-orders/${order.id}/complete`, { items: items.slice(1) });
    expect(early.json()).toMatchObject({ error: { message: expect.stringMatching(/1 checklist item has no result \(T-H01\)/) } });
    const fault = await t.call('crewA', 'PUT', `/api/work-orders/${order.id}/checklist`, { items: [{ itemId: 'T-H05', result: 'fault' }] });
    expect(fault.status).toBe(200);
    const unexplained = await t.call('crewA', 'POST', `/api/work-orders/${order.id}/complete`, { items: items.filter((i) => i.itemId !== 'T-H05') });
    expect(unexplained.json()).toMatchObject({ error: { message: expect.stringMatching(/T-H05 found at fault without a note/) } });
    const done = await ok('crewA', 'POST', `/api/work-orders/${order.id}/complete`, { items: [...items.filter((i) => i.itemId !== 'T-H05'), { itemId: 'T-H05', result: 'fault', note: 'brake lining worn: part ordered' }] });
    expect(done).toMatchObject({ state: 'completed', signedBy: 'crewA', endedAt: expect.any(Number), photos: [{ itemId: 'T-H05' }] });
    expect((await t.ports.deps.crews.visits('LA-1', 1))[0]!.endedAt).toBe(done.endedAt); // the check-out is the order's end
    expect((await ok<{ count: number }>('admin', 'GET', '/api/maintenance/overdue')).count).toBe(0);
    expect((await t.call('crewA', 'POST', `/api/work-orders/${order.id}/start`, {})).json()).toMatchObject({ error: { code: 'LW_ERR_CONFLICT' } });
  });

  it('an alert becomes one repair work order; its finding resolves the alert', async () => {
    const alert = t.ports.raise('LA-1', 'E02');
    const made = await ok<{ workOrder: WorkOrder; created: boolean }>('crewA', 'POST', `/api/alerts/${alert.id}/work-order`, {});
    expect(made).toMatchObject({ created: true, workOrder: { kind: 'repair', alertId: alert.id, class: null, checklist: [] } });
    expect((await ok<{ created: boolean; workOrder: WorkOrder }>('crewA', 'POST', `/api/alerts/${alert.id}/work-order`, {}))).toMatchObject({ created: false, workOrder: { id: made.workOrder.id } });
    expect((await t.call('crewB', 'POST', `/api/alerts/${alert.id}/work-order`, {})).status).toBe(404);
    const id = made.workOrder.id;
    await ok('crewA', 'POST', `/api/work-orders/${id}/start`, {});
    expect((await t.call('crewA', 'POST', `/api/work-orders/${id}/complete`, {})).json()).toMatchObject({ error: { message: expect.stringMatching(/is a repair: give the finding/) } });
    const done = await ok('crewA', 'POST', `/api/work-orders/${id}/complete`, { finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' } });
    expect(done).toMatchObject({ state: 'completed', finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' } });
    const resolved = await t.ports.deps.alerts.get(alert.id);
    expect(resolved).toMatchObject({ state: 'resolved', finding: { outcome: 'confirmed', component: 'doorOperator', partReplaced: 'door belt' } });
    expect(resolved!.audit.find((l) => l.action === 'resolved')).toMatchObject({ actor: 'crewA', note: `work order ${id} signed off` });
  });

  it('lists what the user may see; a manager cancels with a reason', async () => {
    const mine = await ok<{ workOrders: WorkOrder[] }>('crewA', 'GET', '/api/work-orders?liftId=LA-1');
    expect(mine.workOrders.map((o) => o.kind).sort()).toEqual(['maintenance', 'repair']);
    expect((await ok<{ workOrders: WorkOrder[] }>('crewB', 'GET', '/api/work-orders')).workOrders).toEqual([]);
    const next = await ok('mgrA', 'POST', '/api/work-orders', { liftId: 'LA-1' });
    expect(await ok('mgrA', 'POST', `/api/work-orders/${next.id}/cancel`, { reason: 'lift out of service for modernisation' })).toMatchObject({ state: 'cancelled', note: expect.stringMatching(/cancelled: lift out of service/) });
    expect((await t.call('crewA', 'POST', `/api/work-orders/${next.id}/cancel`, { reason: 'x' })).status).toBe(403);
  });
});
