// An alert's page: what raised it, in the chosen language. A predicted alert shows the model, its score against the
// threshold, the features and precursors behind it and the evidence records it cites; a rule's alert its evidence and
// the lift's speed around it. Then the handling (audit), each action in the chosen language.
import { lineChartOf } from './alert-chart.js';
import { trendChart } from './chart.js';
import { h, dateTime, num, pct } from './dom.js';
import { alertName, reasonText, t, tf } from './i18n.js';
import { familyName, featureName, precursorTable } from './risk-panel.js';

/** The fields of an evidence record worth showing, by stream. */
const SHOWN = {
  door: ['closeS', 'openS', 'doorMotorIMeanA', 'lockMadeMs', 'reopens', 'result'],
  trip: ['fromFloor', 'toFloor', 'vibA95XMps2', 'vibA95YMps2', 'stopErrMm', 'relevels', 'slipMm', 'brakeDropMs', 'creepAfterStopMm'],
  env: ['machineRoomTempC', 'motorWindingTempC', 'driveHeatsinkTempC'],
};

/** The reason of an alert in the page's language: a predicted one from its evidence values, others from the reason catalogue. */
export function alertReason(a, values) {
  if (values?.modelId === undefined) return reasonText(a);
  const features = (values.topFeatures ?? []).map((f) => `${featureName(f.name)} ${num(f.value)}`).join('; ') || t('none');
  return tf('reason.predicted', { model: values.modelId, version: values.version, family: values.family ? familyName(values.family) : a.code, score: num(values.score, 3), features });
}

/** An audit entry's note: the opening's is the alert's reason, in the page's language; the others as written. */
const auditNote = (a, e) => (e.action === 'opened' && e.note === a.reason ? reasonText(a) : e.note);

/** The records an alert cites, found among the lift's newest records of their streams. */
async function evidenceRecords(api, liftId, ids) {
  const byStream = new Map();
  for (const id of ids) {
    const [, stream, seq] = id.split('/');
    if (!byStream.has(stream)) byStream.set(stream, new Set());
    byStream.get(stream).add(Number(seq));
  }
  const found = [];
  for (const [stream, seqs] of byStream) {
    const { records } = await api(`/api/lifts/${encodeURIComponent(liftId)}/records?stream=${stream}&limit=1000`).catch(() => ({ records: [] }));
    for (const r of records) if (seqs.has(r.seq)) found.push(r);
  }
  return found.sort((a, b) => a.ts - b.ts);
}

function evidenceTable(ids, records) {
  const rows = ids.map((id) => {
    const [, stream, seq] = id.split('/');
    const r = records.find((x) => x.stream === stream && x.seq === Number(seq));
    const fields = r ? (SHOWN[stream] ?? Object.keys(r.record)).filter((f) => r.record[f] !== undefined).map((f) => `${f} ${typeof r.record[f] === 'number' ? num(r.record[f]) : r.record[f]}`).join(' · ') : t('ev.notFound');
    return h('tr', { data: { evidence: id } }, h('td', {}, id), h('td', {}, r ? dateTime(r.ts) : '–'), h('td', {}, fields));
  });
  return h('table', { id: 'evidence-records' }, h('thead', {}, h('tr', {}, h('th', {}, t('ev.records')), h('th', {}, t('col.last')), h('th', {}, t('ev.features')))), h('tbody', {}, ...rows));
}

async function predictedEvidence(api, a, values) {
  const id = encodeURIComponent(a.liftId);
  const [records, prediction] = await Promise.all([evidenceRecords(api, a.liftId, values.evidenceIds ?? []), api(`/api/lifts/${id}/prediction`).catch(() => null)]);
  const family = prediction?.families.find((f) => f.code === a.code);
  const precursors = values.precursors ?? family?.precursors ?? [];
  return h('section', { id: 'predicted-evidence' },
    h('h3', {}, t('ev.title')),
    h('p', { id: 'predicted-model' }, tf('ev.model', { model: values.modelId, version: values.version, score: pct(values.score), raise: family ? pct(family.raise) : '–' }),
      values.anomaly !== undefined ? ` · ${t('ev.anomaly')} ${num(values.anomaly)}` : ''),
    h('table', { id: 'top-features' }, h('thead', {}, h('tr', {}, h('th', {}, t('risk.top')), h('th', {}, t('ev.value')), h('th', {}, t('ev.z')))),
      h('tbody', {}, ...(values.topFeatures ?? []).map((f) => h('tr', { data: { feature: f.name } }, h('td', {}, featureName(f.name)), h('td', { class: 'num' }, num(f.value, 3)), h('td', { class: 'num' }, num(f.z, 1)))))),
    precursors.length ? precursorTable(precursors) : null,
    family && family.trend.length > 1 ? trendChart(family.trend, { label: `${t('risk.trend')} · ${familyName(family.family)}`, raise: family.raise, height: 140 }) : null,
    h('h4', {}, t('ev.records')), evidenceTable(values.evidenceIds ?? [], records));
}

export async function alertPage(api, id, { workOrder } = {}) {
  const a = await api(`/api/alerts/${id}`);
  const values = a.evidence[0]?.evidence.values;
  const predicted = values?.modelId !== undefined;
  return [h('section', { class: 'card', id: 'alert-detail', data: { code: a.code, predicted: predicted ? '1' : '0' } },
    h('h2', {}, `${a.severity} ${a.code} ${alertName(a)} · `, h('a', { href: `#/lift/${encodeURIComponent(a.liftId)}` }, a.liftId), ` · ${t(`state.${a.state}`)}`),
    h('p', { id: 'alert-reason' }, alertReason(a, values)),
    workOrder?.(a) ?? null,
    predicted ? await predictedEvidence(api, a, values) : await lineChartOf(api, a),
    predicted ? null : h('h3', {}, t('detail.evidence')),
    predicted ? null : h('ul', { class: 'evidence' }, ...a.evidence.slice(0, 5).map((o) => h('li', {}, `${dateTime(o.at)} ${o.evidence.liftId}/${o.evidence.stream}/${o.evidence.seq}: `,
      Object.entries(o.evidence.values).map(([k, v]) => `${k} ${typeof v === 'number' ? num(v) : JSON.stringify(v)}`).join(' · ')))),
    h('h3', {}, t('detail.audit')), h('ul', { id: 'audit' }, ...a.audit.map((e) => h('li', { data: { action: e.action } }, `${dateTime(e.at)} ${t(`audit.${e.action}`)} · ${e.actor} ${auditNote(a, e)}`))))];
}
