import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Hazard, HazardInput, HazardReview, HazardState, lwError, PublicLift, Rectification, ResidentReport, type HazardPhotoInput, type HazardSource } from '@liftwatch/contract';
import { areaOfLift } from '../auth/scope.js';
import type { Role } from '../auth/schemas.js';
import type { DashboardDeps } from '../deps.js';
import type { HazardsPort } from '../hazards/port.js';
import type { ReportLimit } from '../hazards/report-limit.js';

/** The routes of this file, for GET /api. */
export const HAZARD_ROUTE_LIST = [
  'GET /api/public/lifts/:liftId (no login)', 'POST /api/public/lifts/:liftId/reports {category, description, contact?} (no login, rate-limited)',
  'POST /api/hazards {liftId, category, description}', 'GET /api/hazards?state=&liftId=', 'GET /api/hazards/:id', 'GET /api/hazards/:id/photo',
  'POST /api/hazards/:id/rectify {note, photo}', 'POST /api/hazards/:id/review {accept, note}',
];

const LiftParam = Type.Object({ liftId: Type.String({ minLength: 1, maxLength: 64 }) });
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Who records a hazard, by role: a regulator or an admin is an inspector. */
const SOURCE: Readonly<Record<Role, HazardSource>> = { admin: 'inspector', regulator: 'inspector', manager: 'crew', crew: 'crew', useUnit: 'useUnit' };
/** Who checks a fix: not the crew that made it, nor the use unit. */
const REVIEWERS: ReadonlySet<Role> = new Set(['admin', 'manager', 'regulator']);

/** The photo's bytes, after checking they are the JPEG or PNG they claim to be and not too large. */
function photoBytes(photo: HazardPhotoInput): Buffer {
  const bytes = Buffer.from(photo.dataBase64, 'base64');
  if (bytes.length > MAX_PHOTO_BYTES) throw lwError('LW_ERR_REQUEST_INVALID', `photo: ${bytes.length} bytes is more than ${MAX_PHOTO_BYTES}: send a smaller photo (a phone's "medium" size)`);
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!(photo.contentType === 'image/jpeg' ? jpeg : png)) throw lwError('LW_ERR_REQUEST_INVALID', `photo: its bytes are not a ${photo.contentType} image: send the photo file itself, base64-encoded`);
  return bytes;
}

/**
 * Hazards on lifts: the public page a QR code in the car opens, reports from it, hazards crews and
 * inspectors record, and their fix and its check. Staff see the hazards of the lifts they may see.
 */
export const hazardRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; hazards: HazardsPort; limit: ReportLimit; now?: () => number }> = async (app, { deps, hazards, limit, now = Date.now }) => {
  /** 404 unless the user may see the lift, as if it did not exist. */
  const checkLift = async (req: FastifyRequest, liftId: string, what: string) => {
    const { user, canSee } = req.lw!;
    if (user.role !== 'admin' && !canSee(liftId, user.role === 'regulator' ? await areaOfLift(deps, liftId) : undefined)) throw lwError('LW_ERR_NOT_FOUND', `${what} does not exist or is not in your scope`);
  };
  const visible = async (req: FastifyRequest, id: number) => {
    const h = await hazards.get(id);
    if (!h) throw lwError('LW_ERR_NOT_FOUND', `hazard ${id} does not exist`);
    await checkLift(req, h.liftId, `hazard ${id}`);
    return h;
  };
  const known = async (liftId: string) => {
    const lift = await hazards.publicLift(liftId);
    if (!lift) throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(liftId)} is not known to this platform: check the code you scanned, or call the number on the lift's usage sign`);
    return lift;
  };

  app.get('/api/public/lifts/:liftId', { config: { access: 'public', scope: 'lift' }, schema: { description: 'What a resident may read about a lift (the page its QR code opens): no login', params: LiftParam, response: { 200: PublicLift } } },
    async (req) => known(req.params.liftId));

  app.post('/api/public/lifts/:liftId/reports', {
    config: { access: 'public', scope: 'lift' }, bodyLimit: 8 * 1024,
    schema: { description: 'A resident reports a problem with the lift: no login; a few a day from one address', params: LiftParam, body: ResidentReport, response: { 201: Type.Object({ id: Type.Integer(), state: HazardState }) } },
  }, async (req, reply) => {
    await known(req.params.liftId);
    const wait = limit.take(req.ip, req.params.liftId, now());
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw lwError('LW_ERR_RATE_LIMITED', `too many reports from this address or about lift ${req.params.liftId}: try again in ${Math.ceil(wait / 60)} min, or call the rescue line if someone is trapped`);
    }
    const h = await hazards.open({ liftId: req.params.liftId, source: 'resident', category: req.body.category, description: req.body.description.trim(), contact: req.body.contact?.trim() || null, reportedBy: null }, now());
    return reply.status(201).send({ id: h.id, state: h.state });
  });

  app.post('/api/hazards', { config: { access: 'read', scope: 'none' }, schema: { body: HazardInput, response: { 201: Hazard } } }, async (req, reply) => {
    await checkLift(req, req.body.liftId, `lift ${req.body.liftId}`);
    const { user } = req.lw!;
    return reply.status(201).send(await hazards.open({ ...req.body, source: SOURCE[user.role], contact: null, reportedBy: user.id }, now()));
  });

  app.get('/api/hazards', {
    config: { access: 'read', scope: 'list' },
    schema: { querystring: Type.Object({ state: Type.Optional(Type.Union([HazardState, Type.Literal('active')])), liftId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }), response: { 200: Type.Object({ hazards: Type.Array(Hazard) }) } },
  }, async (req) => {
    const { user, canSee } = req.lw!;
    const all = await hazards.list({ ...req.query, limit: user.role === 'admin' ? req.query.limit : 5000 });
    const shown = [];
    for (const h of all) if (user.role === 'admin' || canSee(h.liftId, user.role === 'regulator' ? await areaOfLift(deps, h.liftId) : undefined)) shown.push(h);
    return { hazards: shown.slice(0, req.query.limit) };
  });

  app.get('/api/hazards/:id', { config: { access: 'read', scope: 'list' }, schema: { params: Id, response: { 200: Hazard } } }, async (req) => visible(req, req.params.id));

  app.get('/api/hazards/:id/photo', { config: { access: 'read', scope: 'list' }, schema: { params: Id, produces: ['image/jpeg', 'image/png'], response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The photo of the fix' }) } } }, async (req, reply) => {
    await visible(req, req.params.id);
    const photo = await hazards.photo(req.params.id);
    if (!photo) throw lwError('LW_ERR_NOT_FOUND', `hazard ${req.params.id} has no photo: it was not rectified yet`);
    return reply.type(photo.contentType).header('cache-control', 'private, max-age=86400').header('etag', `"${photo.sha256}"`).send(photo.bytes);
  });

  app.post('/api/hazards/:id/rectify', { config: { access: 'act', scope: 'list' }, bodyLimit: 4 * 1024 * 1024, schema: { params: Id, body: Rectification, response: { 200: Hazard } } }, async (req) => {
    await visible(req, req.params.id);
    return hazards.rectify(req.params.id, { note: req.body.note, photo: { contentType: req.body.photo.contentType, bytes: photoBytes(req.body.photo) } }, req.lw!.user.id, now());
  });

  app.post('/api/hazards/:id/review', { config: { access: 'read', scope: 'list' }, schema: { params: Id, body: HazardReview, response: { 200: Hazard } } }, async (req) => {
    const { user } = req.lw!;
    await visible(req, req.params.id);
    if (!REVIEWERS.has(user.role)) throw lwError('LW_ERR_FORBIDDEN', `a ${user.role} user may not check a fix: a manager, an inspector (regulator) or an admin closes a hazard or sends it back`);
    return hazards.review(req.params.id, req.body.accept, req.body.note, user.id, now());
  });
};
