import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Finding, FindingInput, labelOf, PrecisionReport, type Finding as FindingRow } from '@liftwatch/contract';
import type { DashboardDeps, FindingsPort } from '../deps.js';
import { actorOf } from './alerts.js';
import { toCsv } from './csv.js';

/** The routes of this file, for GET /api. */
export const FINDING_ROUTE_LIST = [
  'PUT /api/alerts/:id/finding {outcome, component, partReplaced, note}', 'GET /api/findings/precision',
  'GET /api/exports/findings.csv?since=&limit=', 'GET /api/exports/findings.jsonl?since=&limit=',
];

/** The columns of a training label, in the order of the CSV (docs/findings.md#labels-for-training). */
const LABEL_COLUMNS = ['alertId', 'liftId', 'code', 'family', 'modelId', 'modelVersion', 'alertOpenedAt', 'outcome', 'label', 'component', 'partReplaced', 'foundAt'] as const;
const labelRow = (f: FindingRow) => ({
  alertId: f.alertId, liftId: f.liftId, code: f.code, family: f.family, modelId: f.modelId, modelVersion: f.modelVersion, alertOpenedAt: f.alertOpenedAt,
  outcome: f.outcome, label: labelOf(f), component: f.component, partReplaced: f.partReplaced, foundAt: f.at,
});

const ExportQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'Only alerts opened at or after this time, ms since 1970' })),
  limit: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 100_000, description: 'At most this many findings, the oldest alerts first' }),
});
const PAGE = 1000;

/** The findings a user may see, in the order of their alerts. */
async function* visibleFindings(findings: FindingsPort, canSee: (liftId: string) => boolean, q: { since?: number | undefined; limit: number }): AsyncGenerator<FindingRow> {
  let after = 0;
  let left = q.limit;
  for (;;) {
    const page = await findings.page({ after, limit: PAGE, ...(q.since !== undefined ? { since: q.since } : {}) });
    for (const f of page) {
      if (!canSee(f.liftId)) continue;
      yield f;
      if (--left === 0) return;
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.alertId;
  }
}

const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
};

/**
 * Crews' findings (docs/findings.md): a finding added to an alert closed without one (a P1 rescue)
 * or corrected, the precision of each model version and rule, and the findings as training labels.
 */
export const findingRoutes: FastifyPluginAsyncTypebox<{ deps: DashboardDeps }> = async (app, { deps }) => {
  const findings = deps.findings;
  if (!findings) return;

  app.put('/api/alerts/:id/finding', {
    config: { access: 'act', scope: 'alert' },
    schema: {
      description: 'Records or replaces the finding of a closed alert: one closed without it (a P1 rescue) or a correction; the audit keeps every version',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: FindingInput, response: { 200: Finding },
    },
  }, async (req) => findings.record(req.params.id, req.body, actorOf(req.lw!.user, undefined)));

  app.get('/api/findings/precision', {
    config: { access: 'read', scope: 'none' },
    schema: { description: 'Precision of each model version and rule from the crews\' findings, with counts and 95 % Wilson intervals', response: { 200: PrecisionReport } },
  }, async () => findings.precision());

  app.get('/api/exports/findings.csv', {
    config: { access: 'read', scope: 'list' },
    schema: { produces: ['text/csv'], querystring: ExportQuery, response: { 200: Type.String({ description: `CSV (RFC 4180, UTF-8 with a byte order mark): ${LABEL_COLUMNS.join(', ')}; times in ms since 1970` }) } },
  }, async (req, reply) => {
    const rows = await collect(visibleFindings(findings, req.lw!.canSee, req.query));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="findings.csv"')
      .send(toCsv(LABEL_COLUMNS, rows.map((f) => { const l = labelRow(f); return LABEL_COLUMNS.map((c) => l[c]); })));
  });

  app.get('/api/exports/findings.jsonl', {
    config: { access: 'read', scope: 'list' },
    schema: { produces: ['application/x-ndjson'], querystring: ExportQuery, response: { 200: Type.String({ description: `JSON lines: one object a line with ${LABEL_COLUMNS.join(', ')}` }) } },
  }, async (req, reply) => {
    const rows = await collect(visibleFindings(findings, req.lw!.canSee, req.query));
    return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="findings.jsonl"')
      .send(rows.map((f) => `${JSON.stringify(labelRow(f))}\n`).join(''));
  });
};
