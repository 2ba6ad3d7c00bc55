// The lift page's predicted risks: per fault family its risk now against the raise threshold, its trend, the state of its
// alert, and the measured quantities behind it against the lift's own normal band (charted where the store has them).
import { seriesChart, trendChart } from './chart.js';
import { h, dateTime, num, pct } from './dom.js';
import { has, t, tf } from './i18n.js';

/** The record field of each measured precursor, for its chart (the daily level against the band). */
const FIELD = {
  doorCloseS: ['door', 'closeS'], doorOpenS: ['door', 'openS'], doorMotorIMeanA: ['door', 'doorMotorIMeanA'], doorMotorIA: ['door', 'doorMotorIMeanA'],
  lockMadeMs: ['door', 'lockMadeMs'], lockMadeP95Ms: ['door', 'lockMadeMs'], vibA95XMps2: ['trip', 'vibA95XMps2'], vibA95XYMps2: ['trip', 'vibA95XMps2'],
  vibA95ZMps2: ['trip', 'vibA95ZMps2'], stopErrMm: ['trip', 'stopErrMm'], slipMm: ['trip', 'slipMm'], brakeDropMs: ['trip', 'brakeDropMs'],
  brakeLiftMs: ['trip', 'brakeLiftMs'], creepAfterStopMm: ['trip', 'creepAfterStopMm'], motorWindingTempC: ['env', 'motorWindingTempC'],
};
export const featureName = (name) => (has(`feat.${name}`) ? t(`feat.${name}`) : name);
export const precursorName = (p) => (has(`pre.${p.feature}`) ? t(`pre.${p.feature}`) : p.meaning || p.feature);
export const familyName = (f) => t(`fam.${f}`);

/** One precursor: its recent level, the band, the baseline and a standard's limit. */
export function precursorRow(p) {
  return h('tr', { class: p.outside ? 'outside' : '', data: { feature: p.feature } },
    h('td', {}, precursorName(p)), h('td', { class: 'num' }, num(p.value)),
    h('td', { class: 'num' }, p.band ? `${num(p.band.low)} – ${num(p.band.high)}` : '–'), h('td', { class: 'num' }, num(p.baseline)),
    h('td', { class: 'num' }, num(p.limit)), h('td', { class: p.outside ? 'flag bad' : 'flag' }, t(p.outside ? 'pre.outside' : 'pre.inside')));
}

export const precursorTable = (precursors) => h('table', { class: 'precursors' },
  h('thead', {}, h('tr', {}, ...['risk.precursors', 'pre.value', 'pre.band', 'pre.baseline', 'pre.limit', 'col.state'].map((k) => h('th', {}, t(k))))),
  h('tbody', {}, ...precursors.map(precursorRow)));

/**
 * Why a raised alert is still open: the model's score must stay under the clear threshold for the
 * clear persistence (it may have fallen well below the raise threshold and not yet for long enough),
 * or the family's rule holds it.
 */
function holdNote(f) {
  if (f.state !== 'raised') return null;
  const clear = pct(f.clear); const hours = Math.round((f.clearPersistMs ?? f.persistMs) / 3_600_000);
  const held = f.heldBy ?? [];
  const lines = [];
  if (held.includes('model')) {
    if (f.clearingSince) lines.push(tf('risk.clearing', { clear, since: dateTime(f.clearingSince), h: hours }));
    else if (f.risk < f.raise) lines.push(tf('risk.heldModelBelow', { clear }), tf('risk.hold', { clear, h: hours }));
    else lines.push(tf('risk.hold', { clear, h: hours }));
  }
  if (held.includes('rule')) lines.push(t('risk.heldRule'));
  return lines.length ? h('p', { class: 'hold-note', data: { held: held.join(' ') } }, lines.join('; ')) : null;
}

function familyCard(f, series) {
  const charts = f.precursors.filter((p) => FIELD[p.feature] && series(p.feature)).slice(0, 2)
    .map((p) => h('figure', {}, h('figcaption', {}, precursorName(p)), seriesChart(series(p.feature), { label: precursorName(p), band: p.band, limit: p.limit, height: 120 })));
  return h('section', { class: `family state-${f.state}`, data: { family: f.family, state: f.state } },
    h('header', {}, h('b', {}, `${familyName(f.family)} · ${f.code}`),
      h('span', { class: 'risk-value', title: t('risk.of') }, `${pct(f.risk)} `, h('small', {}, `(${num(f.relative * 100, 0)} % ${t('risk.relative')})`)),
      h('span', { class: `badge state-${f.state}` }, t(`risk.state.${f.state}`)),
      h('small', {}, `${t('risk.model')} ${f.modelId} v${f.version} · ${t('risk.of')} ${pct(f.raise)} · ${tf('risk.persist', { h: Math.round(f.persistMs / 3_600_000) })}`,
        f.risingSince ? ` · ${tf('risk.rising', { since: dateTime(f.risingSince) })}` : '')),
    holdNote(f),
    h('meter', { class: 'relative', min: '0', max: '1.5', low: '0.7', high: '1', optimum: '0', value: String(Math.min(1.5, f.relative)) }),
    f.trend.length > 1 ? trendChart(f.trend, { label: `${t('risk.trend')} · ${familyName(f.family)}`, raise: f.raise }) : null,
    f.topFeatures.length ? h('p', { class: 'top-features' }, `${t('risk.top')}: `, f.topFeatures.map((x) => `${featureName(x.name)} ${num(x.value)} (z ${num(x.z, 1)})`).join('; ')) : null,
    f.precursors.length ? precursorTable(f.precursors) : null,
    charts.length ? h('div', { class: 'charts' }, ...charts) : null);
}

/**
 * The families, riskiest first (relative to their thresholds). `series(feature)` gives the daily
 * points of a precursor's record field, when loaded.
 */
export function riskPanel(prediction, series) {
  const families = [...(prediction?.families ?? [])].sort((a, b) => b.relative - a.relative);
  return h('section', { class: 'card', id: 'risk' }, h('h3', {}, t('risk.title')),
    families.length === 0 ? h('p', { class: 'empty', id: 'risk-none' }, t('risk.none')) : h('div', { class: 'families' }, ...families.map((f) => familyCard(f, series))));
}

/** The record fields to chart for a prediction: each precursor with a stored field. */
export function precursorFields(prediction) {
  const out = new Map();
  for (const f of prediction?.families ?? []) for (const p of f.precursors) if (FIELD[p.feature]) out.set(p.feature, FIELD[p.feature]);
  return out;
}
