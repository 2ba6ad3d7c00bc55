import { expect, it } from 'vitest';
import type { StateStore } from '../src/index.js';

/** The exchange's part of the contract suite (contract.ts): the outbox, its feeds' sources and rescue-line calls, on two nodes of one database. */
export function exchangeCases(nodes: () => { a: StateStore; b: StateStore }): void {
  const msg = (key: string, subject = 'XO-1', version = 1) => ({ idempotencyKey: key, type: 'fault', subject, version, occurredAt: 1_000, payload: { key } });

  it('outbox: a message is added once whoever feeds it, with its feed\'s position, which never moves back', async () => {
    const { a, b } = nodes();
    const [first, again] = await Promise.all([a.outbox.add([msg('xo.1'), msg('xo.2')], 10_000, { name: 'xo-feed', position: 7 }), b.outbox.add([msg('xo.2'), msg('xo.3')], 10_000, { name: 'xo-feed', position: 5 })]);
    expect([...first, ...again]).toHaveLength(3); // xo.2 went in once
    expect(await b.outbox.cursor('xo-feed')).toBe(7);
    await a.outbox.add([], 10_001, { name: 'xo-feed', position: 9 });
    expect(await b.outbox.cursor('xo-feed')).toBe(9);
    expect(await a.outbox.cursor('xo-none')).toBeUndefined();
    expect([...await b.outbox.known(['xo.1', 'xo.3', 'xo.9'])].sort()).toEqual(['xo.1', 'xo.3']);
    expect([...await b.outbox.subjectsWith('fault', ['XO-1', 'XO-9'])]).toEqual(['XO-1']);
    expect([...await b.outbox.subjectsWith('lift', ['XO-1'])]).toEqual([]);
    const [id] = first;
    expect(await b.outbox.get(id!)).toMatchObject({ idempotencyKey: 'xo.1', state: 'pending', attempts: 0, payload: { key: 'xo.1' }, createdAt: 10_000, nextAttemptAt: 10_000 });
    await expect(a.outbox.add([msg('')], 1)).rejects.toThrow(/idempotency key "" must have 1–200 characters/);
  });

  it('outbox: of two nodes claiming at once each message goes to one; a lease that ran out is taken over; outcomes and the backlog', async () => {
    const { a, b } = nodes();
    const ids = await a.outbox.add(Array.from({ length: 6 }, (_, i) => msg(`xc.${i}`, 'XC-1')), 50_000);
    const [ca, cb] = await Promise.all([a.outbox.claim(50_000, 100, 30_000), b.outbox.claim(50_000, 100, 30_000)]);
    const mine = [...ca, ...cb].filter((m) => ids.includes(m.id));
    expect(mine.map((m) => m.id).sort((x, y) => x - y)).toEqual(ids);
    expect(mine.every((m) => m.attempts === 1)).toBe(true);
    expect((await a.outbox.claim(60_000, 100, 30_000)).filter((m) => ids.includes(m.id))).toEqual([]); // leased
    // The sender of ids[0] died: after its lease another node takes it, as the second attempt.
    const [d, f, r] = ids;
    await a.outbox.delivered(ids[1]!, 61_000, 200);
    await a.outbox.failed(ids[2]!, 'platform answered 503', 503, 200_000);
    await a.outbox.rejected(ids[3]!, 'platform answered 422: bad area code', 422);
    await a.outbox.delivered(ids[4]!, 61_500, 201);
    await a.outbox.delivered(ids[5]!, 62_000, 200);
    const retaken = (await b.outbox.claim(80_001, 100, 30_000)).filter((m) => ids.includes(m.id));
    expect(retaken.map((m) => [m.id, m.attempts])).toEqual([[d, 2]]);
    expect(await a.outbox.get(f!)).toMatchObject({ state: 'delivered', deliveredAt: 61_000, lastStatus: 200, lastError: null });
    expect(await a.outbox.get(r!)).toMatchObject({ state: 'pending', lastStatus: 503, lastError: 'platform answered 503', nextAttemptAt: 200_000 });
    expect((await a.outbox.claim(199_999, 100, 30_000)).map((m) => m.id)).not.toContain(r); // not due yet
    expect(await b.outbox.list({ state: 'rejected', subject: 'XC-1', limit: 10 })).toMatchObject([{ id: ids[3], lastError: 'platform answered 422: bad area code' }]);
    expect((await b.outbox.list({ subject: 'XC-1', limit: 2 })).map((m) => m.id)).toEqual([ids[5], ids[4]]);
    expect((await b.outbox.list({ subject: 'XC-1', before: ids[4]!, limit: 10 })).map((m) => m.id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    const backlog = await b.outbox.backlog();
    expect(backlog.rejected).toBeGreaterThanOrEqual(1);
    expect(backlog.failing).toBeGreaterThanOrEqual(2);
    expect(backlog.lastDeliveredAt).toBeGreaterThanOrEqual(62_000);
    // An admin retries the rejected one: due at once; a delivered one cannot be retried.
    expect(await a.outbox.retry(ids[3]!, 300_000)).toMatchObject({ state: 'pending', nextAttemptAt: 300_000 });
    await expect(a.outbox.retry(ids[1]!, 300_000)).rejects.toThrow(/was delivered at .*: there is nothing to retry/);
    await expect(a.outbox.retry(987_654_321, 1)).rejects.toThrow(/outbox message 987654321 does not exist/);
    await expect(a.outbox.list({ state: 'lost' as never, limit: 1 })).rejects.toThrow(/outbox state "lost" is not one of pending, delivered, rejected/);
    expect(await a.outbox.deleteDelivered(61_600)).toBeGreaterThanOrEqual(2);
    expect(await a.outbox.get(ids[1]!)).toBeUndefined();
    expect(await a.outbox.get(ids[5]!)).toMatchObject({ state: 'delivered' });
  });

  it('exchange sources: audit lines with their alert in order; registry changes after a position, visits by id, in pages that share a time', async () => {
    const { a, b } = nodes();
    const before = await b.exchangeSources.lastAuditId();
    const ev = { liftId: 'XS-1', stream: 'alarm', seq: 1, ts: 1, values: {} };
    const { alertId } = await a.alerts.raise({ liftId: 'XS-1', code: 'E01', severity: 'P1', reason: 'trapped', evidence: ev, at: 5_000 });
    await a.alerts.transition(alertId, 'acknowledged', { from: ['open'], actor: 'crew-1', note: '', at: 6_000 });
    const lines = await b.exchangeSources.auditAfter(before, 10);
    expect(lines.map((l) => [l.action, l.at, l.liftId, l.code, l.state])).toEqual([['opened', 5_000, 'XS-1', 'E01', 'acknowledged'], ['acknowledged', 6_000, 'XS-1', 'E01', 'acknowledged']]);
    expect(await b.exchangeSources.lastAuditId()).toBe(lines[1]!.auditId);
    expect((await b.exchangeSources.auditOf(alertId)).map((l) => l.action)).toEqual(['opened', 'acknowledged']);

    await a.liftRegistry.put(['XS-R3', 'XS-R1', 'XS-R2'].map((liftId) => ({ liftId, areaCode: '330106' })), 'admin', 9_000_000_000_000);
    const page1 = await b.exchangeSources.registryChangedAfter({ at: 9_000_000_000_000 - 1, liftId: '' }, 2);
    expect(page1.map((r) => r.liftId)).toEqual(['XS-R1', 'XS-R2']);
    const page2 = await b.exchangeSources.registryChangedAfter({ at: page1[1]!.updatedAt, liftId: page1[1]!.liftId }, 2);
    expect(page2).toMatchObject([{ liftId: 'XS-R3', areaCode: '330106', maintenanceUnit: null }]);

    const v = await a.visits.start({ liftId: 'XS-V', technician: 'tech', source: 'checkIn', at: 8_000_000_000_000, endsBy: 8_000_000_100_000 });
    expect(await b.exchangeSources.visitsFrom(v.id, 10)).toMatchObject([{ id: v.id, liftId: 'XS-V', technician: 'tech', source: 'checkIn', endsBy: 8_000_000_100_000, endedAt: null }]);
    await a.visits.stop('XS-V', 'checked out', 8_000_000_050_000);
    expect(await b.exchangeSources.visitsFrom(v.id, 10)).toMatchObject([{ id: v.id, endedAt: 8_000_000_050_000 }]);
    expect(await b.exchangeSources.visitsFrom(v.id + 1, 10)).toEqual([]);
    expect(await b.exchangeSources.lastVisitId()).toBeGreaterThanOrEqual(v.id);
  });

  it('rescue calls: one per line and call id, its alert attached after, stages recorded, read per alert and by time', async () => {
    const { a, b } = nodes();
    const call = { line: '96333', externalId: 'C-100', liftId: 'XR-1', receivedAt: 70_000, callerName: 'Li', callerPhone: '138 0000 0000', rescueCode: '12345', note: '2 people, floor 5' };
    const [x, y] = await Promise.all([a.rescueCalls.add(call, 70_100, 'rescue-line'), b.rescueCalls.add(call, 70_200, 'rescue-line')]);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(x.call.id).toBe(y.call.id);
    await expect(a.rescueCalls.add({ ...call, liftId: 'XR-2' }, 70_300, 'rescue-line')).rejects.toThrow(/call C-100 of line 96333 was first received for lift XR-1, not XR-2/);
    const anonymous = await a.rescueCalls.add({ ...call, externalId: null }, 70_400, 'rescue-line');
    const again = await a.rescueCalls.add({ ...call, externalId: null }, 70_500, 'rescue-line');
    expect(again.call.id).not.toBe(anonymous.call.id); // without the line's id every call is new
    await a.rescueCalls.attach(x.call.id, 4242);
    expect(await b.rescueCalls.setStage(x.call.id, 'onSite', 71_000)).toMatchObject({ alertId: 4242, onSiteAt: 71_000, dispatchedAt: null });
    expect(await b.rescueCalls.ofAlerts([4242])).toMatchObject([{ id: x.call.id, callerPhone: '138 0000 0000', rescueCode: '12345', createdBy: 'rescue-line' }]);
    expect((await a.rescueCalls.list({ liftId: 'XR-1', from: 70_000, to: 70_001, limit: 10 })).map((c) => c.id)).toEqual([again.call.id, anonymous.call.id, x.call.id]);
    await expect(a.rescueCalls.setStage(987_654_321, 'released', 1)).rejects.toThrow(/rescue call 987654321 does not exist/);
    await expect(a.rescueCalls.add({ ...call, externalId: 'C-101', receivedAt: -5 }, 1, 'x')).rejects.toThrow(/receivedAt is -5/);
  });

  it('statistics: lifts with their area, assignment and first sight; alerts of a period with stages, calls and findings', async () => {
    const { a, b } = nodes();
    await a.lifts.putSummaries([{ liftId: 'ST-1', firstSeenAt: 1_000, lastSeenAt: 9_000, records: 3 }]);
    await a.liftRegistry.put([{ liftId: 'ST-1', areaCode: '330106' }, { liftId: 'ST-2', areaCode: '330108' }], 'admin', 5_000);
    await a.crew.upsertOrg({ id: 'st-mu', kind: 'maintenanceUnit', name: 'Unit' });
    await a.crew.assignLift({ liftId: 'ST-1', maintenanceUnit: 'st-mu', useUnit: null, district: 'st-d' });
    const lifts = (await b.statistics.lifts()).filter((l) => l.liftId.startsWith('ST-'));
    expect(lifts).toEqual([
      { liftId: 'ST-1', since: 1_000, areaCode: '330106', district: 'st-d', maintenanceUnit: 'st-mu', useUnit: null, lastSeenAt: 9_000 },
      { liftId: 'ST-2', since: 5_000, areaCode: '330108', district: null, maintenanceUnit: null, useUnit: null, lastSeenAt: null },
    ]);
    const ev = { liftId: 'ST-1', stream: 'alarm', seq: 1, ts: 1, values: {} };
    const T = 7_000_000_000_000;
    const { alertId } = await a.alerts.raise({ liftId: 'ST-1', code: 'E01', severity: 'P1', reason: 'trapped', evidence: ev, at: T });
    await a.alerts.transition(alertId, 'acknowledged', { from: ['open'], actor: 'c', note: '', at: T + 60_000 });
    await a.alerts.transition(alertId, 'onSite', { from: ['acknowledged'], actor: 'c', note: '', at: T + 600_000 });
    const { call } = await a.rescueCalls.add({ line: '96333', externalId: 'ST-C', liftId: 'ST-1', receivedAt: T - 30_000, callerName: null, callerPhone: null, rescueCode: null, note: '' }, T, 'line');
    await a.rescueCalls.attach(call.id, alertId);
    await a.rescueCalls.setStage(call.id, 'onSite', T + 500_000);
    const { alertId: other } = await a.alerts.raise({ liftId: 'ST-1', code: 'E09', severity: 'P2', reason: 'door', evidence: { ...ev, seq: 2 }, at: T + 1 });
    await a.alerts.transition(other, 'falseAlarm', { from: ['open'], actor: 'c', note: '', at: T + 2 });
    const rows = await b.statistics.alerts(T, T + 10, ['E01', 'E09']);
    expect(rows).toMatchObject([
      { id: alertId, code: 'E01', state: 'onSite', openedAt: T, acknowledgedAt: T + 60_000, onSiteAt: T + 600_000, resolvedAt: null, call: { receivedAt: T - 30_000, onSiteAt: T + 500_000, dispatchedAt: null, falseAlarm: false } },
      { id: other, code: 'E09', state: 'falseAlarm', call: null },
    ]);
    expect(await b.statistics.alerts(T, T + 10, ['E09'])).toHaveLength(1);
    expect(await b.statistics.alerts(T + 10, T + 20, ['E01', 'E09'])).toEqual([]);
    await a.visits.start({ liftId: 'ST-1', technician: 't', source: 'checkIn', at: 8_000, endsBy: 9_000 });
    await a.visits.start({ liftId: 'ST-1', technician: 't', source: 'checkIn', at: 10_000, endsBy: 11_000 }); // the first ended at its limit
    expect((await b.statistics.lastVisits()).get('ST-1')).toBe(10_000);
  });
}

