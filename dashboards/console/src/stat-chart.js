// The regulator's monthly series as an ECharts chart: failures per 1,000 lifts each month (bars), the
// same month a year before (line) and the change in % (dashed line, right axis). Canvas only, tooltips
// drawn in the canvas too, so the console's style policy (no inline styles) holds. A bar opens its month's failures.
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Draws `months` (MonthFigures) into `el` once it is in the page; `words` names the series; `open(month)` follows a click on a bar. */
export function monthlyChart(el, months, { words, open }) {
  const draw = () => {
    if (!el.isConnected) return void requestAnimationFrame(draw);
    const chart = init(el, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', name: '%', splitLine: { show: false } }],
      series: [
        { name: words.thisYear, type: 'bar', data: months.map((m) => m.per1000Lifts), itemStyle: { color: '#1565c0' } },
        { name: words.lastYear, type: 'line', data: months.map((m) => m.lastYearPer1000Lifts), itemStyle: { color: '#9e9e9e' }, connectNulls: false },
        { name: words.yoy, type: 'line', yAxisIndex: 1, data: months.map((m) => m.yearOnYearPct), lineStyle: { type: 'dashed' }, itemStyle: { color: '#c62828' } },
      ],
    });
    chart.on('click', (p) => { if (p.seriesIndex === 0) open(months[p.dataIndex].month); });
    const resize = () => (el.isConnected ? chart.resize() : (window.removeEventListener('resize', resize), chart.dispose()));
    window.addEventListener('resize', resize);
    el.dataset.drawn = '1';
  };
  requestAnimationFrame(draw);
  return el;
}
