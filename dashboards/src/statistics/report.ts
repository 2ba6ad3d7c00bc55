import { createHash } from 'node:crypto';
import type { currentFigures, monthlySeries } from './monthly.js';

type Lang = 'zh-CN' | 'en';
type Series = Awaited<ReturnType<typeof monthlySeries>>;
type Current = Awaited<ReturnType<typeof currentFigures>>;

const WORDS = {
  'zh-CN': {
    title: '电梯安全运行月报', scope: '范围', all: '全部可见电梯', month: '月份', tz: '时区', made: '生成', by: '生成人',
    lifts: '电梯数', failures: '故障数（不含误报）', per1000: '每千台故障', lastYear: '去年同月', yoy: '同比', falseAlarms: '误报',
    noFault: '现场未见故障', unconfirmed: '待确认', incidents: '关联事件', entrapments: '困人',
    rescue: '救援时间（分钟，自报警起）', stage: '环节', median: '中位数', p90: '90 分位', n: '次数',
    response: '响应（派出）', arrival: '到场', release: '解救', over: (m: number) => `超过 ${m} 分钟到场`,
    series: '近 12 个月', incidentList: '关联事件（同一场所多台电梯同时停梯）', site: '场所', start: '开始', liftsOf: '电梯',
    now: '当前', silent: '终端静默', noTerminal: '无终端', overdue: '维保超期', overdueInspection: '定期检验超期', none: '无',
    notes: '故障：代码表中的电梯与扶梯事件；误报（告警状态、维保人员结论或救援热线）不计入。关联事件：同一使用单位（无则同一区域）10 分钟内 3 台及以上电梯故障，计为一次。百分位：最近秩法。',
  },
  en: {
    title: 'Monthly lift safety report', scope: 'Scope', all: 'every lift you may see', month: 'Month', tz: 'Time zone', made: 'Made', by: 'by',
    lifts: 'Lifts', failures: 'Failures (without false alarms)', per1000: 'Failures per 1,000 lifts', lastYear: 'Same month last year', yoy: 'Year on year', falseAlarms: 'False alarms',
    noFault: 'No fault found on site', unconfirmed: 'Not yet confirmed', incidents: 'Correlated incidents', entrapments: 'Entrapments',
    rescue: 'Rescue times (minutes from the alarm)', stage: 'Stage', median: 'Median', p90: '90th percentile', n: 'Rescues',
    response: 'Response (dispatched)', arrival: 'Arrival', release: 'Release', over: (m: number) => `On site later than ${m} min`,
    series: 'The last 12 months', incidentList: 'Correlated incidents (many lifts of one site stopping at once)', site: 'Site', start: 'Started', liftsOf: 'Lifts',
    now: 'Now', silent: 'Silent terminals', noTerminal: 'Without a terminal', overdue: 'Maintenance overdue', overdueInspection: 'Periodic inspection overdue', none: 'none',
    notes: 'Failures: the lift and escalator events of the code table; false alarms (the alert\'s state, the crew\'s finding or the rescue line) are not counted. Correlated incident: failures of 3 or more lifts of one use unit (else one area) within 10 minutes, counted once. Percentiles: nearest rank.',
  },
} as const;

const STYLE = `body{font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;color:#111}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}
.notes{color:#444;font-size:.9em}@media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}`;
/** The Content-Security-Policy of the report: its one inline style by hash, nothing else. */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

const esc = (v: unknown) => String(v ?? '–').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const row = (cells: unknown[], head = false) => `<tr>${cells.map((c) => (head ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`;
const table = (head: unknown[], rows: unknown[][]) => `<table>${row(head, true)}${rows.map((r) => row(r)).join('')}</table>`;
const pct = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${v} %`);

/** A printable page of one month (the last of `series`) with the year before it, in Chinese or English. */
export function reportHtml(input: { lang: Lang; timeZone: string; arrivalLimitMin: number; scope: string | null; series: Series; now: Current; user: string }): string {
  const w = WORDS[input.lang];
  const { figures: f, lists } = input.series.at(-1)!;
  const made = new Intl.DateTimeFormat(input.lang, { timeZone: input.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const r = f.rescue;
  return `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><title>${esc(`${w.title} ${f.month}`)}</title><style>${STYLE}</style></head><body>
<h1>${esc(w.title)} ${esc(f.month)}</h1>
<p>${esc(w.scope)}: ${esc(input.scope ?? w.all)} · ${esc(w.tz)}: ${esc(input.timeZone)} · ${esc(w.made)} ${esc(made.format(new Date()))} ${esc(w.by)} ${esc(input.user)}</p>
${table([w.lifts, w.failures, w.per1000, w.lastYear, w.yoy, w.falseAlarms, w.noFault, w.unconfirmed, w.incidents, w.entrapments],
    [[f.lifts, f.failures, f.per1000Lifts, f.lastYearPer1000Lifts, pct(f.yearOnYearPct), f.falseAlarms, f.noFaultFound, f.unconfirmed, f.incidents, f.entrapments]])}
<h2>${esc(w.rescue)}</h2>
${table([w.stage, w.n, w.median, w.p90], [[w.response, r.response.n, r.response.median, r.response.p90], [w.arrival, r.arrival.n, r.arrival.median, r.arrival.p90], [w.release, r.release.n, r.release.median, r.release.p90]])}
<p>${esc(w.over(input.arrivalLimitMin))}: ${esc(r.overArrivalLimit)}</p>
<h2>${esc(w.incidentList)}</h2>
${lists.incidents.length === 0 ? `<p>${esc(w.none)}</p>` : table([w.site, w.start, w.liftsOf], lists.incidents.map((i) => [i.site, made.format(new Date(i.startedAt)), i.liftIds.join(', ')]))}
<h2>${esc(w.series)}</h2>
${table([w.month, w.lifts, w.failures, w.per1000, w.yoy, w.falseAlarms, w.incidents, w.entrapments, `${w.arrival} ${w.median}`, `${w.arrival} ${w.p90}`],
    input.series.map(({ figures: m }) => [m.month, m.lifts, m.failures, m.per1000Lifts, pct(m.yearOnYearPct), m.falseAlarms, m.incidents, m.entrapments, m.rescue.arrival.median, m.rescue.arrival.p90]))}
<h2>${esc(w.now)}</h2>
${table([w.lifts, w.silent, w.noTerminal, w.overdue, w.overdueInspection], [[input.now.lifts, input.now.silent.length, input.now.noTerminal.length, input.now.overdueMaintenance.length, input.now.overdueInspections.length]])}
<p class="notes">${esc(w.notes)}</p>
</body></html>`;
}
