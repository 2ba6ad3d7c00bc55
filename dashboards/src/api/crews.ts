import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertEscalation, AlertView, EscalationPolicy, LiftAssignment, lwError, MaintenanceVisit, NotificationAttempt, Organisation, PersonView, RotaShift, Severity } from '@liftwatch/contract';
import { orgVisible } from '../auth/scope.js';
import { ownOrgUnchangedKind, ownPerson } from './own-unit.js';
import { personView, withStoredSecrets } from './channel-secrets.js';
import type { CrewsPort } from '../deps.js';
import { actorOf } from './alerts.js';

/**
 * Organisations, people, which unit looks after each lift, on-call rotas, escalation policies,
 * maintenance check-in / check-out and the notification audit. Bodies are validated by
 * alerting against the contract schemas, so the 400 names the field.
 */
/** The routes of this file, for GET /api. */
export const CREW_ROUTE_LIST = [
  'GET /api/organisations', 'PUT /api/organisations/:id', 'GET /api/people', 'PUT /api/people/:id',
  'GET /api/crew-lifts', 'GET|PUT /api/crew-lifts/:liftId', 'GET /api/on-call/:liftId', 'POST /api/rota', 'GET /api/rota/:unitId?from=',
  'GET /api/escalation-policies', 'PUT /api/escalation-policies/:orgId/:severity (a policy or {preset})',
  'POST /api/lifts/:liftId/check-in|check-out {technician, limitMin?}', 'GET /api/maintenance-visits?liftId=',
  'POST /api/alerts/:id/assign {actor, assignee}', 'POST /api/alerts/:id/notes {actor, note}', 'GET /api/alerts/:id/notifications', 'GET /api/alerts/:id/escalation', 'GET /api/audit/notifications?after=&limit=',
];

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const LiftParam = Type.Object({ liftId: Type.String({ minLength: 1, maxLength: 64 }) });
const Technician = Type.Object({ technician: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Ignored except for admins: the technician is the logged-in user' })), limitMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })) }, { additionalProperties: false });
const Shift = Type.Composite([RotaShift, Type.Object({ id: Type.Integer() })]);

export const crewRoutes: FastifyPluginAsyncTypebox<{ crews: CrewsPort }> = async (app, { crews }) => {
  const withId = (id: string, body: unknown) => ({ ...(body as object), id });

  app.get('/api/organisations', { config: { access: 'read', scope: 'list' }, schema: { response: { 200: Type.Object({ organisations: Type.Array(Organisation) }) } } }, async (req) => ({ organisations: (await crews.listOrgs()).filter((o) => orgVisible(req.lw!.user, o.id)) }));
  // A manager keeps their own unit (its name and who has which role in it); only admins add organisations or change their kind.
  app.put('/api/organisations/:id', { config: { access: 'manage', scope: 'org' }, schema: { params: IdParam, body: Type.Object({}, { additionalProperties: true }), response: { 200: Organisation } } },
    async (req) => {
      if (req.lw!.user.role !== 'admin') await ownOrgUnchangedKind(crews, req.params.id, req.body);
      return crews.upsertOrg(withId(req.params.id, req.body));
    });

  // Channel secrets are write-only: every answer shows people through personView (channel-secrets.ts).
  app.get('/api/people', { config: { access: 'read', scope: 'list' }, schema: { response: { 200: Type.Object({ people: Type.Array(PersonView) }) } } },
    async (req) => ({ people: (await crews.listPeople()).filter((p) => orgVisible(req.lw!.user, p.orgId)).map(personView) }));
  // A manager adds and changes the people of their own unit only: the person's organisation, stored and sent, is checked here.
  app.put('/api/people/:id', { config: { access: 'manage', scope: 'none' }, schema: { params: IdParam, body: Type.Object({}, { additionalProperties: true, description: 'A person; a channel without "secret" (or with its masked URL) keeps the stored one, "secret": "" removes it' }), response: { 200: PersonView } } },
    async (req) => {
      const stored = await crews.getPerson(req.params.id);
      if (req.lw!.user.role !== 'admin') ownPerson(req.lw!.user, req.params.id, stored, req.body);
      return personView(await crews.upsertPerson(withId(req.params.id, withStoredSecrets(req.body, stored))));
    });

  app.put('/api/crew-lifts/:liftId', { config: { access: 'admin', scope: 'lift' }, schema: { params: LiftParam, body: Type.Object({}, { additionalProperties: true }), response: { 200: LiftAssignment } } },
    async (req) => crews.assignLift({ ...(req.body as object), liftId: req.params.liftId }));
  app.get('/api/crew-lifts', { config: { access: 'read', scope: 'list' }, schema: { description: 'Which unit looks after each lift the user may see', response: { 200: Type.Object({ assignments: Type.Array(LiftAssignment) }) } } },
    async (req) => ({ assignments: (await crews.listLifts()).filter((a) => req.lw!.user.role === 'admin' || req.lw!.canSee(a.liftId)) }));
  app.get('/api/crew-lifts/:liftId', { config: { access: 'read', scope: 'lift' }, schema: { params: LiftParam, response: { 200: LiftAssignment } } }, async (req) => {
    const a = await crews.getLift(req.params.liftId);
    if (!a) throw lwError('LW_ERR_NOT_FOUND', `lift ${req.params.liftId} belongs to no maintenance unit yet; assign it with PUT /api/crew-lifts/${req.params.liftId}`);
    return a;
  });
  app.get('/api/on-call/:liftId', { config: { access: 'read', scope: 'lift' }, schema: { params: LiftParam, response: { 200: Type.Object({ people: Type.Array(Type.Composite([PersonView, Type.Object({ role: Type.String() })])), gaps: Type.Array(Type.String()) }) } } },
    async (req) => {
      const { people, gaps } = await crews.onCall(req.params.liftId, Date.now());
      return { people: people.map((p) => ({ ...personView(p), role: p.role })), gaps };
    });

  // The unit a shift is for is in the body: checked here, a manager writes their own unit's rota.
  app.post('/api/rota', { config: { access: 'manage', scope: 'none' }, schema: { body: Type.Object({}, { additionalProperties: true }), response: { 200: Shift } } }, async (req) => {
    const unitId = (req.body as { unitId?: unknown }).unitId;
    if (typeof unitId === 'string' && !orgVisible(req.lw!.user, unitId)) throw lwError('LW_ERR_FORBIDDEN', `unit ${JSON.stringify(unitId)} is not yours (${req.lw!.user.orgId ?? 'none'}): a manager writes the rota of their own unit`);
    return crews.addShift(req.body);
  });
  app.get('/api/rota/:id', { config: { access: 'read', scope: 'org' }, schema: { params: IdParam, querystring: Type.Object({ from: Type.Integer({ default: 0 }) }), response: { 200: Type.Object({ shifts: Type.Array(Shift) }) } } },
    async (req) => ({ shifts: await crews.shifts(req.params.id, req.query.from) }));

  app.get('/api/escalation-policies', { config: { access: 'read', scope: 'list' }, schema: { response: { 200: Type.Object({ policies: Type.Array(Type.Object({ orgId: Type.String(), severity: Severity, policy: EscalationPolicy })) }) } } },
    async (req) => ({ policies: (await crews.listPolicies()).filter((p) => orgVisible(req.lw!.user, p.orgId)) }));
  app.put('/api/escalation-policies/:orgId/:severity', {
    config: { access: 'manage', scope: 'org' },
    schema: { params: Type.Object({ orgId: Type.String({ minLength: 1, maxLength: 64 }), severity: Severity }), body: Type.Object({}, { additionalProperties: true, description: 'A policy, or { "preset": "1-3-5" }' }), response: { 200: EscalationPolicy } },
  }, async (req) => crews.setPolicy(req.params.orgId, req.params.severity, req.body));

  app.post('/api/lifts/:liftId/check-in', { config: { access: 'act', scope: 'lift' }, schema: { params: LiftParam, body: Technician, response: { 200: MaintenanceVisit } } },
    async (req) => crews.checkIn(req.params.liftId, actorOf(req.lw!.user, req.body.technician), req.body.limitMin === undefined ? undefined : req.body.limitMin * 60_000));
  app.post('/api/lifts/:liftId/check-out', { config: { access: 'act', scope: 'lift' }, schema: { params: LiftParam, body: Technician, response: { 200: MaintenanceVisit } } },
    async (req) => crews.checkOut(req.params.liftId, actorOf(req.lw!.user, req.body.technician)));
  app.get('/api/maintenance-visits', { config: { access: 'read', scope: 'list' }, schema: { querystring: Type.Object({ liftId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }), response: { 200: Type.Object({ visits: Type.Array(MaintenanceVisit) }) } } },
    async (req) => ({ visits: (await crews.visits(req.query.liftId, req.lw!.user.role === 'admin' ? req.query.limit : 1000)).filter((v) => req.lw!.canSee(v.liftId)).slice(0, req.query.limit) }));

  const AlertId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
  const Actor = Type.String({ minLength: 1, maxLength: 200 });
  app.post('/api/alerts/:id/assign', { config: { access: 'act', scope: 'alert' }, schema: { params: AlertId, body: Type.Object({ actor: Type.Optional(Actor), assignee: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: AlertView } } },
    async (req) => crews.assign(req.params.id, req.body.assignee, actorOf(req.lw!.user, req.body.actor)));
  app.post('/api/alerts/:id/notes', { config: { access: 'act', scope: 'alert' }, schema: { params: AlertId, body: Type.Object({ actor: Type.Optional(Actor), note: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }), response: { 200: AlertView } } },
    async (req) => crews.addNote(req.params.id, actorOf(req.lw!.user, req.body.actor), req.body.note));
  app.get('/api/alerts/:id/notifications', { config: { access: 'read', scope: 'alert' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Type.Object({ attempts: Type.Array(NotificationAttempt) }) } } },
    async (req) => ({ attempts: await crews.notifications(req.params.id) }));
  app.get('/api/alerts/:id/escalation', {
    config: { access: 'read', scope: 'alert' },
    schema: { description: 'Who was notified of the alert (each delivery: recipient, channel, attempts, outcome) and who is next (the next step and reminder of its policy, with the people they reach now)', params: AlertId, response: { 200: AlertEscalation } },
  }, async (req) => {
    const view = await crews.escalation(req.params.id);
    if (!view) throw lwError('LW_ERR_NOT_FOUND', `alert ${req.params.id} does not exist`);
    return view;
  });
  app.get('/api/audit/notifications', { config: { access: 'admin', scope: 'none' }, schema: { querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }) }), response: { 200: Type.Object({ attempts: Type.Array(NotificationAttempt) }) } } },
    async (req) => ({ attempts: await crews.notificationsAfter(req.query.after, req.query.limit) }));
};
