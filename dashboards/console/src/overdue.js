// The lists behind the regulator's overdue counts: lifts whose maintenance visit is overdue (by their
// completed work orders and plan) and lifts whose periodic inspection is past due (by the newest record).
import { localTime, w } from './registry-words.js';

const liftLink = (h, liftId) => h('a', { href: `#/registry/${encodeURIComponent(liftId)}` }, liftId);
const table = (h, id, keys, rows) => h('div', { class: 'scroll' }, h('table', { id }, h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', {}, w(k))))), h('tbody', {}, ...rows)));

/** `#/overdue[?list=maintenance|inspections]`: both lists, or the one a count opened. */
export async function overduePage({ h, api }) {
  const only = new URLSearchParams(location.hash.split('?')[1] ?? '').get('list');
  const [maintenance, inspections] = await Promise.all([api('/api/maintenance/overdue?limit=1000'), api('/api/inspections/overdue')]);
  const m = h('section', { id: 'overdue-maintenance' }, h('h3', {}, `${w('o.maintenance')} (${maintenance.count})`), h('p', { class: 'hint' }, w('o.maintenanceHint')),
    maintenance.lifts.length === 0 ? h('p', { class: 'empty' }, w('o.maintenanceNone')) : table(h, 'overdue', ['r.liftId', 'w.dueAt', 'w.days', 'w.last', ''],
      maintenance.lifts.map((o) => h('tr', { data: { liftId: o.liftId } }, h('td', {}, liftLink(h, o.liftId)), h('td', {}, localTime(o.dueAt)),
        h('td', { class: 'late' }, o.overdueDays), h('td', {}, localTime(o.lastCompletedAt)),
        h('td', {}, h('a', { href: `#/work-orders?lift=${encodeURIComponent(o.liftId)}` }, w('w.title')))))),
    maintenance.count > maintenance.lifts.length ? h('p', { class: 'hint' }, w('r.more', { n: maintenance.lifts.length })) : null);
  const i = h('section', { id: 'overdue-inspections' }, h('h3', {}, `${w('o.inspections')} (${inspections.count})`), h('p', { class: 'hint' }, w('o.inspectionsHint', { day: inspections.before })),
    inspections.lifts.length === 0 ? h('p', { class: 'empty' }, w('o.inspectionsNone')) : table(h, 'overdue-inspection-list', ['r.liftId', 'r.inspectedOn', 'r.result.col', 'r.nextDue', 'r.reportNo'],
      inspections.lifts.map((r) => h('tr', { data: { liftId: r.liftId } }, h('td', {}, liftLink(h, r.liftId)), h('td', {}, r.inspectedOn),
        h('td', { class: `result ${r.result}` }, w(`res.${r.result}`)), h('td', { class: 'late' }, r.nextDue), h('td', {}, r.reportNo ?? '')))));
  return [h('h2', {}, w('o.title')), only === 'inspections' ? null : m, only === 'maintenance' ? null : i].filter(Boolean);
}
