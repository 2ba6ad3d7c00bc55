import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, ImportRowError, lwError, type LiftProfile } from '@liftwatch/contract';
import type { DashboardDeps, LiftRegistryPort } from '../deps.js';
import { INSPECTION_COLUMNS, parseRegistryCsv, REGISTRY_COLUMNS } from '../registry/csv-import.js';
import { toCsv } from './csv.js';

const Report = Type.Object({
  rows: Type.Integer({ description: 'Lines of lifts in the file' }),
  imported: Type.Integer({ description: 'Lifts written (0 when any line is at fault, or on a dry run)' }),
  inspections: Type.Integer({ description: 'Inspections written' }),
  dryRun: Type.Boolean(),
  errors: Type.Array(ImportRowError, { description: 'Every line and column at fault, in line order' }),
});
const Refused = Type.Composite([ApiError, Type.Partial(Report)], { description: 'Nothing was written: lines at fault (listed), or a file that is not CSV with the expected header (only the error)' });
const PAGE = 5000;

export interface RegistryCsvOptions {
  deps: DashboardDeps;
  registry: LiftRegistryPort;
  registrationCodePattern: RegExp | undefined;
  /** Most lines of lifts in one import. */
  maxRows: number;
}

/**
 * The registry as CSV (RFC 4180, UTF-8): the export of every entry a user may see, with each lift's
 * newest inspection, and the import an admin sends back (all or none, every line checked: the
 * answer lists each line and column at fault). An export imports as it is.
 */
export const registryCsvRoutes: FastifyPluginAsyncTypebox<RegistryCsvOptions> = async (app, { deps, registry, registrationCodePattern, maxRows }) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/exports/lift-registry.csv', { config: { access: 'read', scope: 'list' }, schema: { produces: ['text/csv'], response: { 200: Type.String({ description: 'CSV with a header of the registry\'s columns' }) } } }, async (req, reply) => {
    const { canSee, user } = req.lw!;
    const entries: LiftProfile[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await registry.list({ limit: PAGE, offset });
      entries.push(...(user.role === 'admin' ? page : page.filter((p) => canSee(p.liftId, p.areaCode))));
      if (page.length < PAGE) break;
    }
    const inspections = await registry.inspections.latest(entries.map((e) => e.liftId));
    const rows = entries.map((e) => {
      const i = inspections.get(e.liftId);
      return [...REGISTRY_COLUMNS.slice(0, -INSPECTION_COLUMNS.length).map((c) => e[c as keyof LiftProfile]), i?.inspectedOn, i?.result, i?.nextDue];
    });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="lift-registry.csv"').send(toCsv(REGISTRY_COLUMNS, rows));
  });

  app.post('/api/lift-registry/import', {
    config: { access: 'admin', scope: 'none' },
    schema: {
      consumes: ['text/csv'],
      querystring: Type.Object({ dryRun: Type.Boolean({ default: false, description: 'Check every line and write nothing' }) }),
      body: Type.String({ description: `CSV, UTF-8, header line first: liftId and any of ${REGISTRY_COLUMNS.slice(1).join(', ')}. Columns left out are kept; an empty cell clears the field.` }),
      response: { 200: Report, 422: Refused },
    },
  }, async (req, reply) => {
    const orgs = new Map((await deps.crews?.listOrgs() ?? []).map((o) => [o.id, o]));
    const parsed = await parseRegistryCsv(req.body, { registrationCodePattern, orgs }, {
      current: async (liftIds) => new Map((await registry.getMany(liftIds)).map((p) => [p.liftId, p])),
      held: async (codes) => registry.byRegistrationCode(codes),
    }, maxRows);
    const report = { rows: parsed.rows, imported: 0, inspections: 0, dryRun: req.query.dryRun, errors: parsed.errors };
    if (parsed.errors.length > 0) {
      const first = parsed.errors[0]!;
      const error = lwError('LW_ERR_IMPORT_INVALID', `${parsed.errors.length} problem${parsed.errors.length > 1 ? 's' : ''} in ${new Set(parsed.errors.map((e) => e.line)).size} of ${parsed.rows} lines; nothing was written. First, line ${first.line}${first.column ? `, ${first.column}` : ''}: ${first.message}`);
      return reply.status(422).send({ error: { code: error.code, message: error.message }, ...report });
    }
    if (req.query.dryRun) return report;
    const actor = req.lw!.user.id;
    if (parsed.entries.length > 0) await registry.put(parsed.entries, actor);
    if (parsed.inspections.length > 0) await registry.inspections.record(parsed.inspections, actor);
    return { ...report, imported: parsed.entries.length, inspections: parsed.inspections.length };
  });
};
