import { expect, it } from 'vitest';
import type { StateStore } from '../src/index.js';

/** The hazards' part of the contract suite (contract.ts): `nodes()` gives two connections (two nodes) to one database. */
export function hazardCases(nodes: () => { a: StateStore; b: StateStore }): void {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  it('hazards: a resident\'s report is open until a fix with its photo is recorded, then closed by a check; seen alike on every node', async () => {
    const { a, b } = nodes();
    const h = await a.hazards.open({ liftId: 'L-HAZ-1', source: 'resident', category: 'doors', description: 'door hits people', contact: '13800000000', reportedBy: null }, 1_000);
    expect(h).toMatchObject({ liftId: 'L-HAZ-1', state: 'open', source: 'resident', contact: '13800000000', openedAt: 1_000, photo: null, closedAt: null });
    expect((await b.hazards.activeCounts()).get('L-HAZ-1')).toBe(1);
    // Not fixed yet: it cannot be closed.
    await expect(b.hazards.review(h.id, true, 'ok', 'reg-1', 1_500)).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT', message: expect.stringMatching(/is open, not rectified/) });

    const fixed = await b.hazards.rectify(h.id, { note: 'door sensor replaced', photo: { contentType: 'image/png', bytes: png } }, 'crew-1', 2_000);
    expect(fixed).toMatchObject({ state: 'rectified', rectifiedAt: 2_000, rectifiedBy: 'crew-1', rectificationNote: 'door sensor replaced', photo: { contentType: 'image/png', bytes: png.length } });
    expect(await a.hazards.photo(h.id)).toEqual({ contentType: 'image/png', sha256: fixed.photo!.sha256, bytes: png });
    // A second node fixing it at once is told it was moved.
    await expect(a.hazards.rectify(h.id, { note: 'again', photo: { contentType: 'image/png', bytes: png } }, 'crew-2', 2_001)).rejects.toMatchObject({ code: 'LW_ERR_CONFLICT' });

    expect(await a.hazards.review(h.id, false, 'still hits', 'reg-1', 3_000)).toMatchObject({ state: 'open', reviewNote: 'still hits', closedAt: null });
    await b.hazards.rectify(h.id, { note: 'door operator adjusted', photo: { contentType: 'image/png', bytes: png } }, 'crew-1', 4_000);
    expect(await a.hazards.review(h.id, true, 'checked on site', 'reg-1', 5_000)).toMatchObject({ state: 'closed', closedAt: 5_000, closedBy: 'reg-1', rectificationNote: 'door operator adjusted' });
    expect((await b.hazards.activeCounts()).get('L-HAZ-1')).toBeUndefined();
    await expect(a.hazards.review(999_999, true, '', 'x', 1)).rejects.toMatchObject({ code: 'LW_ERR_NOT_FOUND' });
  });

  it('hazards: listed newest first, by state (active = not closed) and lift; a bad lift id is refused', async () => {
    const { a, b } = nodes();
    const first = await a.hazards.open({ liftId: 'L-HAZ-2', source: 'crew', category: 'noise', description: 'grinding', contact: null, reportedBy: 'crew-1' }, 10_000);
    const second = await b.hazards.open({ liftId: 'L-HAZ-2', source: 'inspector', category: 'alarm', description: 'intercom dead', contact: null, reportedBy: 'reg-1' }, 11_000);
    await a.hazards.rectify(first.id, { note: 'bearing greased', photo: { contentType: 'image/png', bytes: png } }, 'crew-1', 12_000);
    expect((await b.hazards.list({ liftId: 'L-HAZ-2', limit: 10 })).map((x) => x.id)).toEqual([second.id, first.id]);
    expect((await b.hazards.list({ liftId: 'L-HAZ-2', state: 'open', limit: 10 })).map((x) => x.id)).toEqual([second.id]);
    expect((await b.hazards.list({ liftId: 'L-HAZ-2', state: 'active', limit: 10 })).map((x) => x.state)).toEqual(['open', 'rectified']);
    expect((await a.hazards.list({ liftId: 'L-HAZ-2', state: 'rectified', limit: 10 }))[0]).toMatchObject({ id: first.id, photo: { bytes: png.length } });
    await expect(a.hazards.open({ liftId: '../x', source: 'crew', category: 'other', description: 'x', contact: null, reportedBy: 'c' }, 1)).rejects.toThrow(/lift id "..\/x" is not valid/);
  });
}
