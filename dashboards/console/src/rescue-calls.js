// Calls of the rescue line (96333) with the rescue's stages, timed from the alarm against the arrival
// limit (30 minutes by default) and the 1-3-5 preset; those who act on alerts record the next stage.
import { getLang } from './i18n.js';
import { localTime, thenReload, w } from './registry-words.js';

const NEXT = [['dispatchedAt', 'dispatched'], ['onSiteAt', 'onSite'], ['releasedAt', 'released']];
const mark = (met) => (met === true ? '✓' : met === false ? '✗' : '…');

function checks(h, call) {
  return h('ul', { class: 'checks' }, ...call.checks.map((c) => h('li', { class: c.met === false ? 'late' : c.met ? 'done' : '', data: { rule: c.rule, stage: c.stage } },
    `${mark(c.met)} ${w(`rc.rule.${c.rule === 'arrival' ? 'arrival' : 'preset'}`)}: ${w(`rc.${c.stage}`)} ≤ ${c.limitMin} ${w('rc.min')} → ${c.minutes === null ? '–' : `${c.minutes} ${w('rc.min')}`}`)));
}

/** `#/rescue-calls`: the newest calls first, with their stages and how they met the rules. */
export async function rescueCallsPage({ h, api, me }) {
  const { calls } = await api('/api/rescue-calls?limit=200');
  const act = ['admin', 'manager', 'crew'].includes(me.role);
  const status = h('p', { id: 'rescue-status' });
  const at = (call, key) => (call.stages[key] ? `${localTime(call.stages[key])}` : '–');
  const nextStage = (call) => (call.stages.falseAlarm ? undefined : NEXT.find(([key]) => call.stages[key] === null));
  const row = (call) => {
    const next = nextStage(call);
    const late = call.checks.some((c) => c.rule === 'arrival' && c.met === false);
    // Each cell carries its column's name: on a phone a call is a card of labelled cells, not a wide row.
    const cell = (key, content, attrs = {}) => h('td', { ...attrs, data: { label: w(key) } }, content);
    return h('tr', { data: { callId: call.id }, class: late ? 'over' : '' },
      h('td', { class: 'call-id' }, `#${call.id}`), cell('r.liftId', h('a', { href: `#/registry/${encodeURIComponent(call.liftId)}` }, call.liftId)), cell('rc.line', call.line),
      cell('rc.alarm', localTime(call.stages.alarmAt)), cell('s.alert', h('a', { href: `#/alert/${call.alertId}` }, `#${call.alertId}`)),
      ...NEXT.map(([key, stage]) => cell(`rc.${stage}`, at(call, key))), cell('rc.checks', checks(h, call), { class: 'wide' }), cell('w.note', call.note, { class: 'why wide' }),
      h('td', { class: 'wide' }, act && next ? h('button', { class: 'stage', onclick: thenReload(status, () => api(`/api/rescue-calls/${call.id}/stages`, { method: 'POST', body: JSON.stringify({ stage: next[1] }) })) }, w(`rc.record.${next[1]}`)) : ''));
  };
  return [
    h('h2', {}, w('rc.title')), h('p', { class: 'hint' }, w('rc.hint')), status,
    calls.length === 0 ? h('p', { class: 'empty' }, w('rc.none')) : h('div', { class: 'scroll' }, h('table', { id: 'rescue-calls', lang: getLang() },
      h('thead', {}, h('tr', {}, ...['#', 'r.liftId', 'rc.line', 'rc.alarm', 's.alert', 'rc.dispatched', 'rc.onSite', 'rc.released', 'rc.checks', 'w.note', ''].map((k) => h('th', {}, k === '#' || k === '' ? k : w(k))))),
      h('tbody', {}, ...calls.map(row)))),
  ];
}
