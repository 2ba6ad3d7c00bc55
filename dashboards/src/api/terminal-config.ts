import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  CommandPush, ConfigPush, FleetHealthView, FleetProblem, lwError, TerminalCommandView, TerminalConfigState, TerminalConfigView, type TerminalTarget,
} from '@liftwatch/contract';
import type { DashboardDeps } from '../deps.js';
import type { TerminalConfigPort } from '../terminal-config-port.js';
import { fleetHealth } from './terminal-health.js';

const LiftParam = Type.Object({ liftId: Type.String({ minLength: 1, maxLength: 64 }) });
const TARGET_KEYS = ['liftIds', 'areaCode', 'maintenanceUnit'] as const;

/**
 * Remote configuration of terminals: push a desired config or a command to one lift or a group
 * (a list, an area, a maintenance unit's lifts), see desired against acknowledged versions, the
 * terminals that never acknowledged, commands with their results, and the fleet's health. Admins
 * and the lifts' maintenance unit push; everyone reads what is in their scope.
 */
export const terminalConfigRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps; port: TerminalConfigPort }> = async (app, { deps, port }) => {
  /** The lifts of a target the user may configure; a lift of the list outside the user's scope answers 404, as if it did not exist. */
  const targetLifts = async (req: FastifyRequest, target: TerminalTarget): Promise<string[]> => {
    const named = TARGET_KEYS.filter((k) => target[k] !== undefined);
    if (named.length !== 1) {
      throw lwError('LW_ERR_REQUEST_INVALID', `target names ${named.length === 0 ? 'no terminals' : named.join(' and ')}: give exactly one of liftIds, areaCode or maintenanceUnit`);
    }
    const { user, canSee } = req.lw!;
    const admin = user.role === 'admin';
    if (!admin && target.maintenanceUnit !== undefined && target.maintenanceUnit !== user.orgId) {
      throw lwError('LW_ERR_FORBIDDEN', `${user.id} may configure the lifts of maintenance unit ${JSON.stringify(user.orgId)} only, not of ${JSON.stringify(target.maintenanceUnit)}`);
    }
    if (!admin) for (const liftId of target.liftIds ?? []) if (!canSee(liftId)) throw lwError('LW_ERR_NOT_FOUND', `lift ${JSON.stringify(liftId)} does not exist or is not in your scope`);
    const lifts = (await port.lifts(target)).filter((liftId) => admin || canSee(liftId));
    if (lifts.length === 0) throw lwError('LW_ERR_NOT_FOUND', `${named[0]} ${JSON.stringify(target[named[0]!])} names no lift you may configure: check the area code or the unit's id`);
    return lifts;
  };
  const visible = <T extends { liftId: string }>(req: FastifyRequest, rows: readonly T[]): T[] => {
    const { user, canSee } = req.lw!;
    return user.role === 'admin' ? [...rows] : rows.filter((r) => canSee(r.liftId));
  };

  app.post('/api/terminal-config', {
    config: { access: 'act', scope: 'none' },
    schema: { body: ConfigPush, response: { 201: Type.Object({ pushed: Type.Array(Type.Object({ liftId: Type.String(), configVersion: Type.Integer() })) }) } },
  }, async (req, reply) => reply.status(201).send({ pushed: await port.push(await targetLifts(req, req.body.target), req.body.settings, req.lw!.user.id) }));

  app.post('/api/terminal-commands', {
    config: { access: 'act', scope: 'none' },
    schema: { body: CommandPush, response: { 201: Type.Object({ sent: Type.Array(Type.Object({ liftId: Type.String(), cmdId: Type.String() })) }) } },
  }, async (req, reply) => reply.status(201).send({ sent: await port.command(await targetLifts(req, req.body.target), req.body.cmd, req.lw!.user.id) }));

  app.get('/api/terminal-config', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ state: Type.Optional(TerminalConfigState) }),
      response: { 200: Type.Object({ configs: Type.Array(TerminalConfigView) }) },
    },
  }, async (req) => {
    const configs = visible(req, await port.list());
    return { configs: req.query.state === undefined ? configs : configs.filter((c) => c.state === req.query.state) };
  });

  app.get('/api/terminal-config/unacknowledged', {
    config: { access: 'read', scope: 'list' },
    schema: { response: { 200: Type.Object({ terminals: Type.Array(TerminalConfigView, { description: 'Pending or refused, the longest waiting (desiredAt) first' }) }) } },
  }, async (req) => ({ terminals: visible(req, await port.unacknowledged()) }));

  app.get('/api/terminal-commands', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ liftId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
      response: { 200: Type.Object({ commands: Type.Array(TerminalCommandView, { description: 'Newest first' }) }) },
    },
  }, async (req) => {
    const { liftId, limit } = req.query;
    return { commands: visible(req, await port.commands(liftId === undefined ? { limit } : { liftId, limit })) };
  });

  app.get('/api/lifts/:liftId/terminal-config', {
    config: { access: 'read', scope: 'lift' },
    schema: { params: LiftParam, response: { 200: Type.Object({ config: Type.Union([TerminalConfigView, Type.Null()]), commands: Type.Array(TerminalCommandView) }) } },
  }, async (req) => {
    const [config] = await port.list([req.params.liftId]);
    return { config: config ?? null, commands: await port.commands({ liftId: req.params.liftId, limit: 20 }) };
  });

  app.get('/api/terminal-health', {
    config: { access: 'read', scope: 'list' },
    schema: {
      querystring: Type.Object({ problem: Type.Optional(FleetProblem) }),
      response: { 200: FleetHealthView },
    },
  }, async (req) => fleetHealth(deps, port, req.lw!, req.query.problem));
};
