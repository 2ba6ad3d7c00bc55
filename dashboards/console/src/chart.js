// Charts with Apache ECharts (what Chinese users know), tree-shaken to the parts used, drawn on canvas.
import { use, init } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h, day, dateTime, num } from './dom.js';

use([LineChart, GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const BLUE = '#1565c0';
const live = new Set();
window.addEventListener('resize', () => { for (const c of live) c.resize(); });

/** Charts whose element left the page are let go (each page render makes new ones). */
function sweep() {
  for (const c of live) if (!c.getDom().isConnected) { c.dispose(); live.delete(c); }
}

/** A chart element: the chart is drawn once the element is on the page (pages are built before they are shown). */
function chartBox(label, option, { height = 160, id } = {}) {
  const box = h('div', { class: 'echart', role: 'img', 'aria-label': label, ...(id ? { id } : {}) });
  box.style.height = `${height}px`;
  requestAnimationFrame(() => {
    sweep();
    if (!box.isConnected) return;
    const chart = init(box, null, { renderer: 'canvas' });
    chart.setOption({ animation: false, grid: { left: 44, right: 12, top: 12, bottom: 24 }, tooltip: { trigger: 'axis' }, ...option });
    box.dataset.drawn = '1';
    live.add(chart);
  });
  return box;
}

const timeAxis = { type: 'time', axisLabel: { formatter: (v) => day(v), hideOverlap: true } };
const valueAxis = (extra = {}) => ({ type: 'value', scale: true, splitLine: { lineStyle: { color: '#eceef2' } }, ...extra });

/**
 * A measured quantity over time: the mean per bucket as a line with its min–max range as a band;
 * optionally the lift's normal band (shaded) and a standard's limit (a red line).
 */
export function seriesChart(points, { label = '', band = null, limit = null, digits = 2, height } = {}) {
  const low = points.map((p) => [p.x, p.min ?? p.y]);
  const span = points.map((p) => [p.x, (p.max ?? p.y) - (p.min ?? p.y)]);
  const marks = [];
  if (band) marks.push({ type: 'line', data: [], silent: true, markArea: { itemStyle: { color: '#2e7d3222' }, data: [[{ yAxis: band.low }, { yAxis: band.high }]] } });
  if (limit !== null && limit !== undefined) marks.push({ type: 'line', data: [], silent: true, markLine: { symbol: 'none', lineStyle: { color: '#c62828', type: 'dashed' }, data: [{ yAxis: limit }] } });
  return chartBox(label, {
    xAxis: timeAxis, yAxis: valueAxis(),
    tooltip: { trigger: 'axis', formatter: (ps) => { const p = points[ps[0]?.dataIndex ?? 0]; return p ? `${dateTime(p.x)}<br>${label}: ${num(p.y, digits)}${p.min !== undefined ? ` (${num(p.min, digits)} – ${num(p.max, digits)})` : ''}` : ''; } },
    series: [
      { type: 'line', data: low, stack: 'range', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
      { type: 'line', data: span, stack: 'range', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: `${BLUE}22` }, silent: true },
      { type: 'line', data: points.map((p) => [p.x, p.y]), symbol: 'none', lineStyle: { color: BLUE, width: 1.5 }, z: 3 },
      ...marks,
    ],
  }, { height });
}

/** A risk over time (0–1) with the threshold at which its alert is raised. */
export function trendChart(points, { label = '', raise = null, height = 110, id } = {}) {
  return chartBox(label, {
    grid: { left: 36, right: 8, top: 8, bottom: 20 },
    xAxis: timeAxis, yAxis: valueAxis({ min: 0, max: (v) => Math.max(v.max, raise ?? 0) * 1.1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } }),
    tooltip: { trigger: 'axis', formatter: (ps) => ps.length ? `${dateTime(ps[0].value[0])}<br>${label}: ${Math.round(ps[0].value[1] * 1000) / 10} %` : '' },
    series: [{
      type: 'line', data: points.map((p) => [p.at, p.risk]), symbol: 'none', lineStyle: { color: BLUE, width: 1.5 }, areaStyle: { color: `${BLUE}18` },
      ...(raise !== null ? { markLine: { symbol: 'none', silent: true, lineStyle: { color: '#c62828', type: 'dashed' }, label: { show: false }, data: [{ yAxis: raise }] } } : {}),
    }],
  }, { height, id });
}

/** The health score over time, on the grade bands A–E. */
export function healthChart(points, { label = '', bands = [[85, 'A'], [70, 'B'], [55, 'C'], [40, 'D']], height = 160, id } = {}) {
  const colors = { A: '#2e7d3218', B: '#9e9d2418', C: '#f9a82518', D: '#ef6c0018', E: '#c6282818' };
  const edges = [100, ...bands.map(([v]) => v), 0];
  const areas = [...bands.map(([, g]) => g), 'E'].map((g, i) => [{ yAxis: edges[i + 1], itemStyle: { color: colors[g] }, name: g }, { yAxis: edges[i] }]);
  return chartBox(label, {
    xAxis: timeAxis, yAxis: valueAxis({ min: 0, max: 100 }),
    tooltip: { trigger: 'axis', formatter: (ps) => { const p = points[ps[0]?.dataIndex ?? 0]; return p ? `${dateTime(p.at)}<br>${num(p.score, 1)} ${p.grade ?? ''}` : ''; } },
    series: [{
      type: 'line', step: 'end', data: points.map((p) => [p.at, p.score]), symbol: 'circle', symbolSize: 3, lineStyle: { color: BLUE, width: 1.5 },
      markArea: { silent: true, label: { position: 'insideRight', color: '#6b7280' }, data: areas },
    }],
  }, { height, id });
}
