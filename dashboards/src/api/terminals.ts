import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IssuedTerminal, lwError, TerminalRole, TerminalView } from '@liftwatch/contract';
import type { TerminalsPort } from '../deps.js';

const Id = Type.Object({ terminalId: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The terminal registry over HTTP: provision one terminal (JSON) or many (text/csv), list, enable or
 * disable, rotate. A token is in the answer of add and rotate only; it is never shown again.
 */
export const terminalRoutes: FastifyPluginAsyncTypebox<{ terminals: TerminalsPort }> = async (app, { terminals }) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/terminals', {
    schema: { querystring: Type.Object({ liftId: Type.Optional(Type.String({ maxLength: 64 })) }), response: { 200: Type.Object({ terminals: Type.Array(TerminalView) }) } },
  }, async (req) => ({ terminals: await terminals.list(req.query.liftId ? { liftId: req.query.liftId } : {}) }));

  app.get('/api/terminals/:terminalId', { schema: { params: Id, response: { 200: TerminalView } } }, async (req) => {
    const t = await terminals.get(req.params.terminalId);
    if (!t) throw lwError('LW_ERR_NOT_FOUND', `terminal ${JSON.stringify(req.params.terminalId)} is not registered: add it with POST /api/terminals`);
    return t;
  });

  app.post('/api/terminals', {
    schema: {
      body: Type.Object({
        liftId: Type.Optional(Type.String({ maxLength: 64 })),
        terminalId: Type.Optional(Type.String({ maxLength: 64 })),
        role: Type.Optional(TerminalRole),
      }, { additionalProperties: false }),
      response: { 201: IssuedTerminal },
    },
  }, async (req, reply) => reply.status(201).send(await terminals.add(req.body)));

  app.post('/api/terminals/csv', {
    schema: { body: Type.String({ minLength: 1 }), response: { 201: Type.Object({ issued: Type.Array(IssuedTerminal) }) } },
  }, async (req, reply) => reply.status(201).send({ issued: await terminals.addCsv(req.body) }));

  app.post('/api/terminals/:terminalId/rotate', { schema: { params: Id, response: { 200: IssuedTerminal } } }, async (req) => terminals.rotate(req.params.terminalId));
  app.post('/api/terminals/:terminalId/enable', { schema: { params: Id, response: { 200: TerminalView } } }, async (req) => terminals.setEnabled(req.params.terminalId, true));
  app.post('/api/terminals/:terminalId/disable', { schema: { params: Id, response: { 200: TerminalView } } }, async (req) => terminals.setEnabled(req.params.terminalId, false));
};
