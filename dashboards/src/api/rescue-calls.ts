import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { lwError, RescueCallInput, RescueCallView, RescueStageInput } from '@liftwatch/contract';
import { areaOfLift } from '../auth/scope.js';
import { tokenOf } from '../auth/guard.js';
import type { DashboardDeps } from '../deps.js';
import type { RescueLinePort } from '../exchange-ports.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Received = Type.Object({ created: Type.Boolean({ description: 'false: the line sent this call (its externalId) before; this is the first one' }), call: RescueCallView });
/** The rescue line's own system: no session, its token (setting rescueLineToken) instead. */
const LINE = { access: 'public', scope: 'none' } as const;

/**
 * Calls from a lift-emergency line (96333): taken from the line's system with its token, or entered
 * by a logged-in dispatcher of a maintenance unit; each attaches to the lift's entrapment or opens
 * one, and its stages (dispatched, on site, released, or a false alarm) are timed against the
 * arrival limit and the 1-3-5 preset. Calls are read like the lift they are about.
 */
export const rescueCallRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; rescue: RescueLinePort }> = async (app, { deps, rescue }) => {
  /** 404 unless the user may see the lift, as if the call did not exist. */
  const checkLift = async (req: FastifyRequest, liftId: string, what: string) => {
    const { user, canSee } = req.lw!;
    if (user.role !== 'admin' && !canSee(liftId, user.role === 'regulator' ? await areaOfLift(deps, liftId) : undefined)) throw lwError('LW_ERR_NOT_FOUND', `${what} does not exist or is not in your scope`);
  };
  const line = async (req: FastifyRequest) => {
    if (!rescue.acceptsToken(tokenOf(req))) {
      throw lwError('LW_ERR_RESCUE_LINE_TOKEN', 'the rescue line\'s token is missing or wrong: send "Authorization: Bearer <token>" with the token set in rescueLineToken (none set: calls are taken only from logged-in users)');
    }
  };

  app.post('/api/rescue-calls', { config: { access: 'act', scope: 'none' }, schema: { body: RescueCallInput, response: { 200: Received, 201: Received } } }, async (req, reply) => {
    const liftId = await rescue.liftOf(req.body);
    await checkLift(req, liftId, `lift ${liftId}`);
    const done = await rescue.receive({ ...req.body, liftId }, req.lw!.user.id);
    return reply.status(done.created ? 201 : 200).send(done);
  });

  app.post('/api/rescue-calls/:id/stages', { config: { access: 'act', scope: 'none' }, schema: { params: Id, body: RescueStageInput, response: { 200: RescueCallView } } }, async (req) => {
    await checkLift(req, (await rescue.get(req.params.id)).liftId, `rescue call ${req.params.id}`);
    return rescue.stage(req.params.id, req.body, req.lw!.user.id);
  });

  app.get('/api/rescue-calls', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({
        liftId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        from: Type.Optional(Type.Integer({ minimum: 0, description: 'Received at or after, ms' })),
        to: Type.Optional(Type.Integer({ minimum: 0, description: 'Received before, ms' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: { 200: Type.Object({ calls: Type.Array(RescueCallView, { description: 'Newest first' }) }) },
    },
  }, async (req) => {
    const { user, canSee } = req.lw!;
    const calls = await rescue.list(req.query);
    const visible: typeof calls = [];
    for (const c of calls) if (user.role === 'admin' || canSee(c.liftId, user.role === 'regulator' ? await areaOfLift(deps, c.liftId) : undefined)) visible.push(c);
    return { calls: visible };
  });

  app.get('/api/rescue-calls/:id', { config: { access: 'read', scope: 'none' }, schema: { params: Id, response: { 200: RescueCallView } } }, async (req) => {
    const call = await rescue.get(req.params.id);
    await checkLift(req, call.liftId, `rescue call ${req.params.id}`);
    return call;
  });

  // The token is checked before the body: a caller without it learns nothing about what a call should hold.
  app.post('/api/rescue-line/calls', { config: LINE, onRequest: line, schema: { body: RescueCallInput, response: { 200: Received, 201: Received } } }, async (req, reply) => {
    const done = await rescue.receive(req.body, 'rescue-line');
    return reply.status(done.created ? 201 : 200).send(done);
  });

  app.post('/api/rescue-line/calls/:id/stages', { config: LINE, onRequest: line, schema: { params: Id, body: RescueStageInput, response: { 200: RescueCallView } } }, async (req) => {
    return rescue.stage(req.params.id, req.body, 'rescue-line');
  });
};
