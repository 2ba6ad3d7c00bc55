import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ExchangeMessage, lwError } from '@liftwatch/contract';
import type { ExchangePort } from '../exchange-ports.js';

const ADMIN = { access: 'admin', scope: 'none' } as const;
const Ms = Type.Union([Type.Integer(), Type.Null()]);
const State = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('rejected')], { description: 'pending: to be sent (again at nextAttemptAt); delivered; rejected: refused by the platform for good, until retried' });
const Message = Type.Object({
  id: Type.Integer(),
  idempotencyKey: Type.String({ description: 'Sent with every try as the Idempotency-Key header' }),
  type: Type.String({ description: 'lift, fault, rescue or maintenance' }),
  subject: Type.String({ description: 'The lift it is about' }),
  version: Type.Integer(),
  occurredAt: Type.Integer(),
  createdAt: Type.Integer({ description: 'When it entered the outbox' }),
  state: State,
  attempts: Type.Integer({ description: 'Sends tried so far' }),
  nextAttemptAt: Type.Integer({ description: 'When a pending message is sent next' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'What the last failed try got: the platform\'s answer or the network error' }),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last answer; null: none came' }),
  deliveredAt: Ms,
});
const Status = Type.Object({
  enabled: Type.Boolean({ description: 'A platform is set (exchangeUrl); without it nothing enters the outbox' }),
  host: Type.Union([Type.String(), Type.Null()]),
  types: Type.Array(Type.String(), { description: 'The messages sent (exchangeTypes)' }),
  timeZone: Type.String(),
  backlog: Type.Object({
    pending: Type.Integer(), failing: Type.Integer({ description: 'Pending messages whose tries failed so far' }), rejected: Type.Integer(), delivered: Type.Integer({ description: 'Kept for exchangeKeepDays' }),
    oldestPendingAt: Ms, nextAttemptAt: Ms, lastDeliveredAt: Ms,
  }),
});
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * The outbox of the exchange with the government platform, for admins: what waits, what failed and
 * why, what was delivered, and a retry of a message the platform refused once the cause is fixed.
 */
export const exchangeRoutes: FastifyPluginAsyncTypebox<{ exchange: ExchangePort }> = async (app, { exchange }) => {
  app.get('/api/exchange/status', { config: ADMIN, schema: { response: { 200: Status } } }, async () => ({ ...exchange.settings, types: [...exchange.settings.types], backlog: await exchange.backlog() }));

  app.get('/api/exchange/outbox', {
    config: ADMIN,
    schema: {
      querystring: Type.Object({
        state: Type.Optional(State),
        subject: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'One lift\'s messages' })),
        before: Type.Optional(Type.Integer({ minimum: 1, description: 'Messages with a lower id (the next page: the last id of this one)' })),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      }),
      response: { 200: Type.Object({ messages: Type.Array(Message, { description: 'Newest first' }) }) },
    },
  }, async (req) => ({ messages: await exchange.list(req.query) }));

  app.get('/api/exchange/outbox/:id', { config: ADMIN, schema: { params: Id, response: { 200: Type.Object({ ...Message.properties, body: ExchangeMessage }) } } }, async (req) => {
    const m = await exchange.get(req.params.id);
    if (!m) throw lwError('LW_ERR_NOT_FOUND', `outbox message ${req.params.id} does not exist (delivered messages are kept for exchangeKeepDays)`);
    return m;
  });

  app.post('/api/exchange/outbox/:id/retry', { config: ADMIN, schema: { params: Id, response: { 200: Message } } }, async (req) => exchange.retry(req.params.id));
};
