// The lift page: health score and its history, predicted risk per fault family with its evidence, the charts of the
// last 90 days (daily levels from the store's rollups), events and maintenance visits.
import { seriesChart } from './chart.js';
import { h, dateTime, time } from './dom.js';
import { healthHistory, healthPanel } from './health-panel.js';
import { alertName, t, tf } from './i18n.js';
import { precursorFields, riskPanel } from './risk-panel.js';

const DAY = 86_400_000;
/** Days the lift page's charts look back. */
const DAYS = 90;

export async function liftPage(api, liftId) {
  const id = encodeURIComponent(liftId);
  const now = Date.now();
  const from = now - DAYS * DAY;
  const daily = (stream, field) => api(`/api/lifts/${id}/series?stream=${stream}&field=${field}&from=${from}&to=${now}&bucketMs=${DAY}`)
    .then((r) => r.buckets.map((b) => ({ x: b.t, y: b.mean, min: b.min, max: b.max, count: b.count }))).catch(() => []);
  const [lift, prediction, history, door, vib, stopErr, trips, visits, faults] = await Promise.all([
    api(`/api/lifts/${id}`),
    api(`/api/lifts/${id}/prediction`).catch(() => null),
    api(`/api/lifts/${id}/health-history?limit=2000`).then((r) => r.points).catch(() => []),
    daily('door', 'closeS'), daily('trip', 'vibA95XMps2'), daily('trip', 'stopErrMm'), daily('trip', 'durationS'),
    api(`/api/maintenance-visits?liftId=${id}`).then((r) => r.visits).catch(() => []),
    api(`/api/lifts/${id}/records?stream=fault&limit=50`).then((r) => r.records).catch(() => []),
  ]);
  const fields = precursorFields(prediction);
  const loaded = new Map(await Promise.all([...fields].map(async ([feature, [stream, field]]) => [feature, await daily(stream, field)])));
  const series = (feature) => (loaded.get(feature)?.length ? loaded.get(feature) : null);

  const chart = (key, points, opts = {}) => h('figure', { class: 'card', data: { chart: key } }, h('figcaption', {}, t(key), h('small', {}, ` · ${tf('lift.trend', { days: DAYS })}`)),
    points.length ? seriesChart(points, { label: t(key), ...opts }) : h('p', { class: 'empty' }, t('lift.noData')));
  const events = [...lift.alerts.map((a) => ({ at: a.openedAt, text: `${a.severity} ${a.code} ${alertName(a)} · ${t(`state.${a.state}`)}`, href: `#/alert/${a.id}` })),
    ...faults.map((r) => ({ at: r.ts, text: `${r.record.code ?? ''} ${r.record.action ?? r.record.state ?? ''}` }))].sort((a, b) => b.at - a.at);
  const health = lift.health ?? null;
  return [
    h('h2', {}, `${lift.liftId}${lift.registry?.name ? ` · ${lift.registry.name}` : ''}`),
    h('div', { class: 'lift-top' },
      h('section', { class: 'card', id: 'health' }, h('h3', {}, t('lift.health')),
        health ? healthPanel(health) : h('p', { class: 'empty', id: 'health-none' }, t('lift.notYet'))),
      healthHistory(history)),
    riskPanel(prediction, series),
    h('div', { class: 'charts', id: 'lift-charts' }, chart('lift.door', door), chart('lift.vib', vib), chart('lift.stopErr', stopErr),
      chart('lift.trips', trips.map((p) => ({ x: p.x, y: p.count })), { digits: 0 })),
    h('section', { class: 'card' }, h('h3', {}, t('lift.registry')), h('p', {}, lift.registry ? `${lift.registry.registrationCode ?? ''} ${lift.registry.address ?? ''} ${lift.registry.ratedSpeedMps} m/s · ${lift.registry.highestFloor}F` : t('lift.noData')),
      h('p', { id: 'registry-area' }, `${t('reg.area')}: `, h('b', { id: 'registered-area' }, lift.registered?.areaCode ?? t('reg.none')),
        ` · ${t('reg.reported')}: `, h('span', { id: 'reported-area' }, lift.registry?.areaCode ?? '–'))),
    h('section', { class: 'card' }, h('h3', {}, t('lift.events')), h('ul', { id: 'events' }, ...events.slice(0, 50).map((e) =>
      h('li', {}, `${dateTime(e.at)} `, e.href ? h('a', { href: e.href }, e.text) : e.text)))),
    h('section', { class: 'card' }, h('h3', {}, t('lift.visits')), h('ul', { id: 'visits' }, ...visits.map((v) =>
      h('li', {}, `${dateTime(v.startedAt)} ${v.technician} (${t(`visit.${v.source}`)})${v.endedAt ? ` – ${time(v.endedAt)}` : ''}`)))),
  ];
}
