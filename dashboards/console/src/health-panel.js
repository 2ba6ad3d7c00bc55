// The lift page's health score: grade (provisional while data is short), components, caps and reasons in the
// chosen language (a reason with a key is rendered from its parameters; otherwise its English text), and its history.
import { healthChart } from './chart.js';
import { h, dateTime, num } from './dom.js';
import { reasonText, t } from './i18n.js';

export function healthPanel(hs) {
  const grade = hs.grade ?? t('h.insufficient');
  const parts = hs.parts ?? Object.entries(hs.components).map(([id, score]) => ({ id, score }));
  return h('div', { class: 'health' },
    h('p', { class: 'health-head' }, h('b', { id: 'health-score', class: `grade-${hs.grade ?? 'none'}` }, hs.score.toFixed(1)), ' ',
      h('span', { id: 'health-grade', class: `grade grade-${hs.grade ?? 'none'}` }, `${t('h.grade')} ${grade}`),
      hs.provisional ? h('span', { class: 'badge provisional', title: t('h.provisionalHint') }, t('h.provisional')) : null, ' · ',
      `${t('h.confidence')} ${Math.round(hs.confidence * 100)} %`, ' · ',
      h('small', {}, `${t('h.at')} ${dateTime(hs.at)} · v${hs.paramsVersion}`)),
    h('h4', {}, t('h.components')),
    h('ul', { id: 'health-components', class: 'bars' }, ...parts.map((p) =>
      h('li', { data: { component: p.id } }, h('span', {}, `${p.id} ${t(p.id)}`, p.weight ? h('small', {}, ` · ${t('h.weight')} ${p.weight}`) : null),
        h('meter', { min: '0', max: '100', low: '55', high: '85', optimum: '100', value: String(p.score) }), h('b', {}, num(p.score, 0)),
        p.key || p.detail ? h('small', { class: 'detail' }, reasonText(p)) : null))),
    hs.caps.length ? h('p', { class: 'caps', id: 'health-caps' }, `${t('h.caps')}: `, hs.caps.map((c) => `≤ ${c.cap}: ${reasonText(c)}`).join('; ')) : null,
    h('h4', {}, t('h.reasons')),
    h('ol', { id: 'health-reasons' }, ...hs.reasons.map((r) => h('li', {}, h('b', {}, `${r.component} ${t(r.component)}`), ` −${num(r.pointsLost, 1)} ${t('h.lost')}: ${reasonText(r)}`,
      r.evidence.length ? h('div', { class: 'evidence' }, `${t('h.evidence')}: ${r.evidence.join(', ')}`) : null))));
}

/** The score over time on the grade bands. */
export function healthHistory(points) {
  return h('div', { class: 'card', id: 'health-history' }, h('h3', {}, t('hh.title')),
    points.length > 1 ? healthChart(points, { label: t('hh.title'), id: 'health-history-chart' }) : h('p', { class: 'empty' }, t('lift.noData')));
}
