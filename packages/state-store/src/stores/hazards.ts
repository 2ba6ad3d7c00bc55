import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import { lwError, type Hazard, type HazardCategory, type HazardSource, type HazardState } from '@liftwatch/contract';
import type { StateDb } from '../open.js';
import type { HazardsTable } from '../tables.js';
import { checkLiftId, checkTime } from '../check.js';

export interface HazardWrite {
  liftId: string; source: HazardSource; category: HazardCategory; description: string; contact: string | null; reportedBy: string | null;
}
export interface HazardFilter {
  /** `active`: open or rectified (not yet closed). */
  state?: HazardState | 'active'; liftId?: string; limit: number;
}
export interface HazardPhoto { contentType: string; sha256: string; bytes: Buffer }

const num = (v: number | null) => (v === null ? null : Number(v));
const toHazard = (r: Selectable<HazardsTable>, photo: { content_type: string; sha256: string; size: number } | undefined): Hazard => ({
  id: Number(r.id), liftId: r.lift_id, source: r.source as HazardSource, category: r.category as HazardCategory, description: r.description,
  contact: r.contact, reportedBy: r.reported_by, state: r.state as HazardState, openedAt: Number(r.opened_at), updatedAt: Number(r.updated_at),
  rectifiedAt: num(r.rectified_at), rectifiedBy: r.rectified_by, rectificationNote: r.rectification_note,
  photo: photo ? { contentType: photo.content_type, bytes: Number(photo.size), sha256: photo.sha256 } : null,
  closedAt: num(r.closed_at), closedBy: r.closed_by, reviewNote: r.review_note,
});

/**
 * Hazards on lifts, tracked to closure: open → rectified (with a note and a photo of the fix) →
 * closed, or back to open when the check finds the fix does not hold. Each move names the state it
 * leaves in its WHERE clause, so of two nodes moving one hazard at once one wins and the other is told.
 */
export function createHazards({ db, write }: StateDb) {
  const photoMeta = async (ids: readonly number[]) => {
    if (ids.length === 0) return new Map<number, { content_type: string; sha256: string; size: number }>();
    const rows = await db.selectFrom('hazard_photos').select(['hazard_id', 'content_type', 'sha256', (eb) => eb.fn<number>('length', ['bytes']).as('size')])
      .where('hazard_id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [Number(r.hazard_id), r]));
  };
  const withPhotos = async (rows: Array<Selectable<HazardsTable>>): Promise<Hazard[]> => {
    const photos = await photoMeta(rows.map((r) => Number(r.id)));
    return rows.map((r) => toHazard(r, photos.get(Number(r.id))));
  };
  const get = async (id: number): Promise<Hazard | undefined> => {
    const r = await db.selectFrom('hazards').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? (await withPhotos([r]))[0] : undefined;
  };
  /** Why a move from `from` failed: the hazard is missing or in another state. */
  const refused = async (id: number, move: string, from: HazardState): Promise<never> => {
    const now = await get(id);
    if (!now) throw lwError('LW_ERR_NOT_FOUND', `hazard ${id} does not exist`);
    throw lwError('LW_ERR_CONFLICT', `hazard ${id} is ${now.state}, not ${from}: it cannot be ${move} now (reload it to see who moved it)`);
  };

  return {
    get,
    async open(input: HazardWrite, at: number): Promise<Hazard> {
      checkLiftId(input.liftId);
      checkTime(at, 'hazard time');
      const r = await db.insertInto('hazards').values({
        lift_id: input.liftId, source: input.source, category: input.category, description: input.description, contact: input.contact,
        reported_by: input.reportedBy, state: 'open', opened_at: at, updated_at: at,
      }).returningAll().executeTakeFirstOrThrow();
      return toHazard(r, undefined);
    },
    /** Newest first. */
    async list(filter: HazardFilter): Promise<Hazard[]> {
      let q = db.selectFrom('hazards').selectAll();
      if (filter.state === 'active') q = q.where('state', 'in', ['open', 'rectified']);
      else if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.liftId) q = q.where('lift_id', '=', filter.liftId);
      return withPhotos(await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute());
    },
    /** Hazards not yet closed per lift (the public page, the regulator's figures). */
    async activeCounts(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('hazards').select(['lift_id', (eb) => eb.fn.countAll<number>().as('n')]).where('state', 'in', ['open', 'rectified']).groupBy('lift_id').execute();
      return new Map(rows.map((r) => [r.lift_id, Number(r.n)]));
    },
    /** Records the fix of an open hazard with its photo, in one transaction. */
    async rectify(id: number, fix: { note: string; photo: { contentType: string; bytes: Buffer } }, actor: string, at: number): Promise<Hazard> {
      checkTime(at, 'rectification time');
      const sha256 = createHash('sha256').update(fix.photo.bytes).digest('hex');
      const moved = await write(async (trx) => {
        const r = await trx.updateTable('hazards').set({ state: 'rectified', rectified_at: at, rectified_by: actor, rectification_note: fix.note, updated_at: at })
          .where('id', '=', id).where('state', '=', 'open').executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        const photo = { content_type: fix.photo.contentType, sha256, bytes: fix.photo.bytes };
        await trx.insertInto('hazard_photos').values({ hazard_id: id, ...photo }).onConflict((oc) => oc.column('hazard_id').doUpdateSet(photo)).execute();
        return true;
      });
      if (!moved) return refused(id, 'rectified', 'open');
      return (await get(id))!;
    },
    /** The check of a rectified hazard: accepted closes it, refused opens it again (its photo stays until the next fix). */
    async review(id: number, accept: boolean, note: string, actor: string, at: number): Promise<Hazard> {
      checkTime(at, 'review time');
      const set = accept ? { state: 'closed', closed_at: at, closed_by: actor, review_note: note, updated_at: at } : { state: 'open', review_note: note, updated_at: at };
      const r = await db.updateTable('hazards').set(set).where('id', '=', id).where('state', '=', 'rectified').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return refused(id, accept ? 'closed' : 'reopened', 'rectified');
      return (await get(id))!;
    },
    async photo(id: number): Promise<HazardPhoto | undefined> {
      const r = await db.selectFrom('hazard_photos').selectAll().where('hazard_id', '=', id).executeTakeFirst();
      return r ? { contentType: r.content_type, sha256: r.sha256, bytes: Buffer.from(r.bytes) } : undefined;
    },
  };
}
