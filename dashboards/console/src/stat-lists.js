// The lists behind the statistics' counts: a month's lifts, failures, false alarms, entrapments with their
// stage minutes, rescues over the arrival limit, correlated incidents; and now: silent terminals, lifts
// without one, maintenance and inspections overdue. The same view (area or district) as the count.
import { t } from './i18n.js';
import { localTime, w } from './registry-words.js';
import { currentView, query } from './stat-view.js';

const lift = (h, id) => h('a', { href: `#/registry/${encodeURIComponent(id)}` }, id);
const min = (v) => (v === null || v === undefined ? '–' : `${v}`);
const finding = (f) => (f ? t(`f.${f}`) : '–');

/** Columns of each list: header key and cell of an item. */
const COLUMNS = {
  lift: [['r.liftId', (h, id) => lift(h, id)]],
  alert: [['s.alert', (h, a) => h('a', { href: `#/alert/${a.id}` }, `#${a.id}`)], ['r.liftId', (h, a) => lift(h, a.liftId)], ['s.code', (_, a) => `${a.severity} ${a.code}`],
    ['s.opened', (_, a) => localTime(a.openedAt)], ['w.state', (_, a) => t(`state.${a.state}`)], ['w.finding', (_, a) => finding(a.finding)]],
  incident: [['s.site', (_, i) => i.site], ['s.opened', (_, i) => localTime(i.startedAt)], ['s.codes', (_, i) => i.codes.join(' ')], ['s.liftsOf', (h, i) => h('span', {}, ...i.liftIds.flatMap((id) => [lift(h, id), ' ']))]],
  silent: [['r.liftId', (h, s) => lift(h, s.liftId)], ['s.lastSeen', (_, s) => localTime(s.lastSeenAt)]],
  overdueMaintenance: [['r.liftId', (h, o) => lift(h, o.liftId)], ['w.dueAt', (_, o) => localTime(o.dueAt)], ['w.days', (_, o) => o.overdueDays], ['w.last', (_, o) => localTime(o.lastCompletedAt)]],
  overdueInspections: [['r.liftId', (h, r) => lift(h, r.liftId)], ['r.inspectedOn', (_, r) => r.inspectedOn], ['r.result.col', (_, r) => w(`res.${r.result}`)], ['r.nextDue', (_, r) => r.nextDue]],
};
COLUMNS.entrapment = [...COLUMNS.alert.slice(0, 4), ['s.response', (_, a) => min(a.responseMin)], ['s.arrival', (_, a) => min(a.arrivalMin)], ['s.release', (_, a) => min(a.releaseMin)]];
const KIND = { lifts: 'lift', failures: 'alert', falseAlarms: 'alert', noFaultFound: 'alert', unconfirmed: 'alert', overArrivalLimit: 'alert', entrapments: 'entrapment', incidents: 'incident',
  silent: 'silent', noTerminal: 'lift', overdueMaintenance: 'overdueMaintenance', overdueInspections: 'overdueInspections' };

function listTable(h, list, items) {
  const cols = COLUMNS[KIND[list]];
  if (items.length === 0) return h('p', { class: 'empty' }, w('s.emptyList'));
  return h('div', { class: 'scroll' }, h('table', { id: 'stat-list', data: { list } }, h('thead', {}, h('tr', {}, ...cols.map(([k]) => h('th', {}, w(k))))),
    h('tbody', {}, ...items.map((item) => h('tr', {}, ...cols.map(([, cell]) => h('td', {}, cell(h, item))))))));
}

const back = (h, view) => h('a', { href: `#/statistics${query(view)}` }, w('s.title'));

/** `#/statistics-list/<month>/<list>?areaCode=|district=`: the items a month's count counted. */
export async function monthListPage({ h, api }) {
  const [, , month, list] = location.hash.split('?')[0].split('/');
  const view = currentView();
  const r = await api(`/api/statistics/months/${month}/${list}${query(view, ['areaCode', 'district'])}`);
  return [h('h2', {}, back(h, view), ` · ${month} · ${w(`s.list.${list}`)} (`, h('span', { id: 'stat-list-total' }, r.total), ')'), listTable(h, list, r.items)];
}

/** `#/statistics-now/<list>?areaCode=|district=`: the lifts behind one of the counts of now. */
export async function nowListPage({ h, api }) {
  const [, , list] = location.hash.split('?')[0].split('/');
  const view = currentView();
  const now = await api(`/api/statistics/now${query(view, ['areaCode', 'district'])}`);
  const items = now[list] ?? [];
  return [h('h2', {}, back(h, view), ` · ${w(`s.now.${list}`)} (`, h('span', { id: 'stat-list-total' }, items.length), ')'), listTable(h, list, items)];
}
