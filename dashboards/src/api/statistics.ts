import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { lwError } from '@liftwatch/contract';
import { toCsv } from './csv.js';
import { currentFigures, monthlySeries } from '../statistics/monthly.js';
import { addMonths, monthOf, monthsFrom, parseMonth } from '../statistics/months.js';
import type { StatisticsPort, StatLift } from '../statistics/ports.js';
import { REPORT_CSP, reportHtml } from '../statistics/report.js';
import { MonthFigures, Now, View } from '../statistics/schemas.js';
import { hazardFigures } from '../hazards/figures.js';
import type { HazardsPort } from '../hazards/port.js';

const MonthText = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, a calendar month in the statistics\' time zone' });
const LISTS = ['lifts', 'failures', 'falseAlarms', 'noFaultFound', 'unconfirmed', 'entrapments', 'overArrivalLimit', 'incidents'] as const;
const SILENT_MS = 15 * 60_000;
const MAX_MONTHS = 36;

/**
 * Statistics a regulator can publish: failures per 1,000 lifts a month without false alarms, with
 * the change from the same month a year before; rescue times per stage; correlated incidents; what
 * is overdue or silent now. Every count has its list. A view is what the user may see, narrowed to
 * an area code (the registry) or a district (the lifts' assignment).
 */
export const statisticsRoutes: FastifyPluginAsyncTypebox<{ statistics: StatisticsPort; hazards?: HazardsPort }> = async (app, { statistics, hazards }) => {
  const { timeZone } = statistics.settings;
  /** The lifts of the view: those the user may see, of the area or the district asked for. */
  const view = (req: FastifyRequest, q: { areaCode?: string | undefined; district?: string | undefined }) => {
    const { user, canSee } = req.lw!;
    return (l: StatLift) => (user.role === 'admin' || canSee(l.liftId, l.areaCode))
      && (q.areaCode === undefined || l.areaCode === q.areaCode) && (q.district === undefined || l.district === q.district);
  };
  const range = (q: { from?: string | undefined; to?: string | undefined }) => {
    const to = q.to ?? monthOf(Date.now(), timeZone);
    const from = q.from ?? addMonths(to, -11);
    const months = monthsFrom(from, to);
    if (months.length === 0 || months.length > MAX_MONTHS) throw lwError('LW_ERR_REQUEST_INVALID', `months ${from} to ${to}: give from ≤ to and at most ${MAX_MONTHS} months`);
    return months;
  };
  const Range = Type.Composite([View, Type.Object({ from: Type.Optional(MonthText), to: Type.Optional(MonthText) })], { description: 'Default: the last 12 months up to this one' });
  const series = async (req: FastifyRequest, q: Record<string, string | undefined>) => monthlySeries(statistics, view(req, q), range(q), Date.now());

  app.get('/api/statistics/monthly', {
    config: { access: 'read', scope: 'list' },
    schema: { querystring: Range, response: { 200: Type.Object({ timeZone: Type.String(), arrivalLimitMin: Type.Number(), months: Type.Array(MonthFigures) }) } },
  }, async (req) => ({ timeZone, arrivalLimitMin: statistics.settings.arrivalLimitMin, months: (await series(req, req.query)).map((m) => m.figures) }));

  app.get('/api/statistics/monthly.csv', { config: { access: 'read', scope: 'list' }, schema: { querystring: Range, produces: ['text/csv'], response: { 200: Type.String() } } }, async (req, reply) => {
    const rows = (await series(req, req.query)).map(({ figures: f }) => [
      f.month, f.lifts, f.failures, f.per1000Lifts, f.lastYearPer1000Lifts, f.yearOnYearPct, f.falseAlarms, f.noFaultFound, f.unconfirmed, f.incidents, f.entrapments,
      f.rescue.response.median, f.rescue.response.p90, f.rescue.arrival.median, f.rescue.arrival.p90, f.rescue.release.median, f.rescue.release.p90, f.rescue.overArrivalLimit,
    ]);
    const header = ['month', 'lifts', 'failures', 'failuresPer1000Lifts', 'lastYearPer1000Lifts', 'yearOnYearPct', 'falseAlarms', 'noFaultFound', 'unconfirmed', 'incidents', 'entrapments',
      'responseMedianMin', 'responseP90Min', 'arrivalMedianMin', 'arrivalP90Min', 'releaseMedianMin', 'releaseP90Min', 'overArrivalLimit'];
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="statistics.csv"').send(toCsv(header, rows));
  });

  app.get('/api/statistics/months/:month/:list', {
    config: { access: 'read', scope: 'list' },
    schema: {
      params: Type.Object({ month: MonthText, list: Type.Union(LISTS.map((l) => Type.Literal(l))) }), querystring: View,
      response: { 200: Type.Object({ month: Type.String(), list: Type.String(), total: Type.Integer(), items: Type.Array(Type.Unknown(), { description: 'Lift ids, alerts (with their stage minutes for entrapments) or incidents' }) }) },
    },
  }, async (req) => {
    parseMonth(req.params.month);
    const [month] = await monthlySeries(statistics, view(req, req.query), [req.params.month], Date.now());
    const items: unknown[] = month!.lists[req.params.list];
    return { month: req.params.month, list: req.params.list, total: items.length, items };
  });

  app.get('/api/statistics/now', { config: { access: 'read', scope: 'list' }, schema: { querystring: View, response: { 200: Now } } }, async (req) => ({
    maintenanceDays: statistics.settings.maintenanceDays, silentMin: SILENT_MS / 60_000, ...(await currentFigures(statistics, view(req, req.query), Date.now(), SILENT_MS)),
    ...(hazards ? { hazards: await hazardFigures(hazards, new Set((await statistics.lifts()).filter(view(req, req.query)).map((l) => l.liftId))) } : {}),
  }));

  app.get('/api/reports/:month', {
    config: { access: 'read', scope: 'list' },
    schema: {
      params: Type.Object({ month: MonthText }),
      querystring: Type.Composite([View, Type.Object({ lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }) })]),
      produces: ['text/html'], response: { 200: Type.String({ description: 'A printable page of the month\'s figures and the year before it' }) },
    },
  }, async (req, reply) => {
    const months = monthsFrom(addMonths(req.params.month, -11), req.params.month);
    const result = await monthlySeries(statistics, view(req, req.query), months, Date.now());
    const now = await currentFigures(statistics, view(req, req.query), Date.now(), SILENT_MS);
    const scope = req.query.areaCode ? `area ${req.query.areaCode}` : req.query.district ? `district ${req.query.district}` : null;
    const { arrivalLimitMin } = statistics.settings;
    // Its own policy: the page's one inline style, by hash; no script.
    return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP)
      .send(reportHtml({ lang: req.query.lang, timeZone, arrivalLimitMin, scope, series: result, now, user: req.lw!.user.name }));
  });
};
