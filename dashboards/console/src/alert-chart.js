// A rule's alert: the lift's speed around the moment it opened.
import { seriesChart } from './chart.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export async function lineChartOf(api, a) {
  const series = await api(`/api/lifts/${encodeURIComponent(a.liftId)}/series?stream=status&field=speedMps&from=${a.openedAt - 600_000}&to=${a.openedAt + 600_000}&bucketMs=10000`).catch(() => ({ buckets: [] }));
  const points = series.buckets.map((b) => ({ x: b.t, y: b.mean, min: b.min, max: b.max }));
  return h('figure', {}, h('figcaption', {}, t('detail.chart')), points.length ? seriesChart(points, { label: t('detail.chart') }) : h('p', { class: 'empty' }, t('lift.noData')));
}
