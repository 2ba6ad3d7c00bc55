// The regulator's statistics: failures per 1,000 lifts a month without false alarms with the same month
// a year before (chart and table), rescue times per stage against the arrival limit, correlated incidents,
// what is overdue or silent now. Every count opens the list behind it; CSV and the printable monthly report.
import { getLang } from './i18n.js';
import { w } from './registry-words.js';
import { currentView, query } from './stat-view.js';

/** The counts of a month that open a list, with the list's name in the API. */
const COUNTS = [['lifts', 'lifts'], ['failures', 'failures'], ['falseAlarms', 'falseAlarms'], ['noFaultFound', 'noFaultFound'], ['unconfirmed', 'unconfirmed'], ['incidents', 'incidents'], ['entrapments', 'entrapments']];
const num = (v) => (v === null || v === undefined ? '–' : String(v));
const pct = (v) => (v === null ? '–' : `${v > 0 ? '+' : ''}${v} %`);

function viewForm(h, view) {
  const field = (name, attrs) => h('label', {}, h('span', {}, w(`s.${name}`)), h('input', { name, value: view[name] ?? '', ...attrs }));
  const form = h('form', { id: 'stat-view', class: 'inline' }, field('areaCode', { pattern: '[0-9]{6}', inputmode: 'numeric', size: '7' }), field('district', { size: '10' }),
    field('from', { type: 'month' }), field('to', { type: 'month' }), h('button', { type: 'submit' }, w('s.show')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = Object.fromEntries([...new window.FormData(form)].filter(([, v]) => v));
    location.hash = `#/statistics${query(next)}`;
  });
  return form;
}

function monthsTable(h, months, view) {
  const open = (m, list, n) => h('a', { href: `#/statistics-list/${m.month}/${list}${query(view, ['areaCode', 'district'])}`, data: { list } }, n);
  return h('div', { class: 'scroll' }, h('table', { id: 'stat-months' },
    h('thead', {}, h('tr', {}, ...['s.month', 's.lifts', 's.failures', 's.per1000', 's.lastYear', 's.yoy', 's.falseAlarms', 's.noFaultFound', 's.unconfirmed', 's.incidents', 's.entrapments', 's.overLimit'].map((k) => h('th', {}, w(k))))),
    h('tbody', {}, ...[...months].reverse().map((m) => h('tr', { data: { month: m.month } }, h('td', { class: 'month' }, m.month),
      ...COUNTS.slice(0, 2).map(([k, list]) => h('td', {}, open(m, list, m[k]))), h('td', { class: 'rate' }, num(m.per1000Lifts)), h('td', {}, num(m.lastYearPer1000Lifts)),
      h('td', { class: m.yearOnYearPct < 0 ? 'down' : m.yearOnYearPct > 0 ? 'up' : '' }, pct(m.yearOnYearPct)),
      ...COUNTS.slice(2).map(([k, list]) => h('td', {}, open(m, list, m[k]))),
      h('td', { class: m.rescue.overArrivalLimit ? 'late' : '' }, open(m, 'overArrivalLimit', m.rescue.overArrivalLimit)))))));
}

function rescueSection(h, m, limit, view) {
  const stage = (key) => h('tr', { data: { stage: key } }, h('td', {}, w(`s.${key}`)), h('td', {}, m.rescue[key].n), h('td', {}, num(m.rescue[key].median)), h('td', {}, num(m.rescue[key].p90)));
  return h('section', { id: 'stat-rescue' }, h('h3', {}, w('s.rescueTitle', { month: m.month })),
    h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ...['s.stage', 's.rescues', 's.median', 's.p90'].map((k) => h('th', {}, w(k))))),
      h('tbody', {}, stage('response'), stage('arrival'), stage('release')))),
    h('p', {}, w('s.overLimitText', { limit }), ' ', h('a', { id: 'stat-over-limit', href: `#/statistics-list/${m.month}/overArrivalLimit${query(view, ['areaCode', 'district'])}` }, m.rescue.overArrivalLimit),
      ' · ', h('a', { href: '#/rescue-calls' }, w('s.rescueCalls'))));
}

function nowSection(h, now, view) {
  const card = (key, n, href) => h('a', { class: `stat-card${n ? ' has' : ''}`, href, data: { now: key } }, h('span', {}, w(`s.now.${key}`)), h('b', {}, n));
  const list = (key) => `#/statistics-now/${key}${query(view, ['areaCode', 'district'])}`;
  return h('section', { id: 'stat-now' }, h('h3', {}, w('s.nowTitle')), h('div', { class: 'stat-cards' },
    card('lifts', now.lifts, `#/registry`), card('silent', now.silent.length, list('silent')), card('noTerminal', now.noTerminal.length, list('noTerminal')),
    card('overdueMaintenance', now.overdueMaintenance.length, list('overdueMaintenance')), card('overdueInspections', now.overdueInspections.length, list('overdueInspections'))),
  h('p', { class: 'hint' }, w('s.nowHint', { min: now.silentMin })));
}

/** `#/statistics?areaCode=&district=&from=&to=`: the series, the last month's rescues, and now. */
export async function statisticsPage({ h, api }) {
  const view = currentView();
  // ECharts comes with this page only: the crews' inbox on a phone does not load it.
  const [series, now, { monthlyChart }] = await Promise.all([api(`/api/statistics/monthly${query(view)}`), api(`/api/statistics/now${query(view, ['areaCode', 'district'])}`), import('./stat-chart.js')]);
  const last = series.months.at(-1);
  const chart = h('div', { id: 'stat-chart', class: 'stat-chart', role: 'img', 'aria-label': w('s.chartTitle') });
  monthlyChart(chart, series.months, {
    words: { thisYear: w('s.per1000'), lastYear: w('s.lastYear'), yoy: w('s.yoy') },
    open: (month) => { location.hash = `#/statistics-list/${month}/failures${query(view, ['areaCode', 'district'])}`; },
  });
  const scope = view.areaCode ? `${w('s.areaCode')} ${view.areaCode}` : view.district ? `${w('s.district')} ${view.district}` : w('s.all');
  return [
    h('h2', {}, w('s.title'), ' · ', h('span', { id: 'stat-scope' }, scope)),
    viewForm(h, view),
    h('p', { class: 'inline' }, h('a', { id: 'stat-csv', href: `/api/statistics/monthly.csv${query(view)}`, download: 'statistics.csv' }, w('s.csv')),
      h('a', { id: 'stat-report', href: `/api/reports/${last.month}${query(view, ['areaCode', 'district'], { lang: getLang() })}`, target: '_blank', rel: 'noopener' }, w('s.report', { month: last.month }))),
    h('figure', { class: 'card' }, h('figcaption', {}, w('s.chartTitle')), chart, h('p', { class: 'hint' }, w('s.chartHint'))),
    monthsTable(h, series.months, view),
    h('p', { class: 'hint' }, w('s.definitions', { tz: series.timeZone })),
    rescueSection(h, last, series.arrivalLimitMin, view),
    nowSection(h, now, view),
  ];
}
