// Terminals: the fleet's health (silent, behind, misconfigured: each count opens its list), each
// terminal's firmware, link, spool and clock, desired against acknowledged config, and forms that
// push a config or a command to a lift, an area or a maintenance unit (docs/terminals.md).
import { getLang, t } from './i18n.js';
import './terminals.css';
import { timeZone } from './zone.js';

const PROBLEMS = ['silent', 'behind', 'misconfigured'];
const SETTINGS = ['statusIdleS', 'statusMovingS', 'deviceS', 'envS', 'entrapmentS'];
const STREAMS = ['status', 'trip', 'door', 'fault', 'alarm', 'env', 'counters', 'registry', 'wave'];
const COMMANDS = ['selfTest', 'restart', 'sendStatus', 'sendWave'];

const when = (ms) => (ms ? new Date(ms).toLocaleString(getLang(), { timeZone: timeZone() }) : '–');
const num = (v, unit = '') => (v === null || v === undefined ? '–' : `${v}${unit}`);

/** The target a form names: a list of lifts (comma-separated), an area code or a maintenance unit. */
function targetOf(form) {
  const kind = form.querySelector('[name=kind]').value;
  const value = form.querySelector('[name=target]').value.trim();
  if (kind === 'liftIds') return { liftIds: value.split(/[\s,]+/).filter((x) => x !== '') };
  return { [kind]: value };
}

/** Which terminals: a crew's own unit is filled in when it picks "all lifts of a maintenance unit". */
function targetFields(h, me) {
  const input = h('input', { name: 'target', required: '', placeholder: t('tc.targetHint') });
  const kind = h('select', { name: 'kind', 'aria-label': t('tc.target'), onchange: (e) => {
    if (e.target.value === 'maintenanceUnit' && input.value === '' && me.orgId) input.value = me.orgId;
  } }, ...['liftIds', 'areaCode', 'maintenanceUnit'].map((k) => h('option', { value: k }, t(`tc.kind.${k}`))));
  return [kind, input];
}

/** Sends a form's body; the answer or the server's message goes in `out`. */
function submitter(api, url, body, out, done) {
  return async (e) => {
    e.preventDefault();
    out.className = 'result';
    try {
      const r = await api(url, { method: 'POST', body: JSON.stringify(body()) });
      out.className = 'result done';
      out.textContent = done(r);
    } catch (err) {
      out.className = 'result error';
      out.textContent = String(err.message ?? err);
    }
  };
}

function pushForm(h, api, me) {
  const out = h('p', { class: 'result', id: 'tc-push-result' });
  const inputs = SETTINGS.map((k) => h('label', {}, h('span', {}, t(`tc.set.${k}`)), h('input', { name: k, type: 'number', step: 'any', min: '0' })));
  const streams = h('fieldset', { class: 'streams' }, h('legend', {}, t('tc.streams')),
    ...STREAMS.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'stream', value: s, checked: '' }), ` ${s}`)));
  const form = h('form', { id: 'tc-push', class: 'card' }, h('h3', {}, t('tc.push')), ...targetFields(h, me), ...inputs, streams,
    h('button', { type: 'submit' }, t('tc.send')), out);
  const body = () => {
    const settings = {};
    for (const k of SETTINGS) {
      const v = form.querySelector(`[name=${k}]`).value;
      if (v !== '') settings[k] = Number(v);
    }
    const on = [...form.querySelectorAll('[name=stream]:checked')].map((c) => c.value);
    if (on.length < STREAMS.length) settings.enabledStreams = on;
    return { target: targetOf(form), settings };
  };
  form.addEventListener('submit', submitter(api, '/api/terminal-config', body, out, (r) => `${t('tc.pushed')}: ${r.pushed.map((p) => `${p.liftId} v${p.configVersion}`).join(', ')}`));
  return form;
}

function commandForm(h, api, me) {
  const out = h('p', { class: 'result', id: 'tc-cmd-result' });
  const form = h('form', { id: 'tc-command', class: 'card' }, h('h3', {}, t('tc.command')), ...targetFields(h, me),
    h('select', { name: 'cmd', 'aria-label': t('tc.command') }, ...COMMANDS.map((c) => h('option', { value: c }, t(`tc.cmd.${c}`)))),
    h('p', { class: 'hint' }, t('tc.selfTestHint')), h('button', { type: 'submit' }, t('tc.send')), out);
  const body = () => ({ target: targetOf(form), cmd: form.querySelector('[name=cmd]').value });
  form.addEventListener('submit', submitter(api, '/api/terminal-commands', body, out, (r) => `${t('tc.sent')}: ${r.sent.map((c) => c.liftId).join(', ')}`));
  return form;
}

function configCell(h, c) {
  if (!c) return h('td', { class: 'config' }, t('tc.noConfig'));
  return h('td', { class: `config ${c.state}` }, `v${c.desiredVersion} / ${c.ackedVersion === null ? '–' : `v${c.ackedVersion}`} · ${t(`tc.state.${c.state}`)}`,
    c.rejectedReason ? h('div', { class: 'why' }, c.rejectedReason) : null);
}

function healthTable(h, rows) {
  const cols = ['col.lift', 'tc.fw', 'tc.rtt', 'tc.drops', 'tc.backlog', 'tc.clock', 'col.last', 'tc.config', 'tc.problems'];
  return h('div', { class: 'scroll' }, h('table', { id: 'tc-terminals' },
    h('thead', {}, h('tr', {}, ...cols.map((k) => h('th', {}, t(k))))),
    h('tbody', {}, ...rows.map((r) => h('tr', { data: { liftId: r.liftId, problems: r.problems.join(' ') } },
      h('td', {}, h('a', { href: `#/lift/${encodeURIComponent(r.liftId)}` }, r.liftId)), h('td', {}, r.fwVersion ?? '–'),
      h('td', {}, num(r.linkRttMs, ' ms')), h('td', {}, num(r.linkDrops)), h('td', {}, num(r.bufferBacklog)), h('td', {}, num(r.clockOffsetMs, ' ms')),
      h('td', {}, when(r.lastSeenAt)), configCell(h, r.config), h('td', { class: 'problems' }, r.problems.map((p) => t(`tc.p.${p}`)).join(' · ')))))));
}

function unacknowledgedList(h, list) {
  return h('section', { class: 'card', id: 'tc-unacknowledged' }, h('h3', {}, t('tc.unacked')),
    list.length ? h('ul', {}, ...list.map((c) => h('li', { data: { liftId: c.liftId } },
      h('b', {}, c.liftId), ` v${c.desiredVersion} · ${t(`tc.state.${c.state}`)} · ${t('tc.since')} ${when(c.desiredAt)}`,
      c.state === 'rejected' ? h('div', { class: 'why' }, c.rejectedReason) : null)))
      : h('p', { class: 'empty' }, t('tc.allAcked')));
}

/** The page at #/terminals[?problem=silent|behind|misconfigured]. */
export async function terminalsPage({ h, api, me, canAct }) {
  const problem = new URLSearchParams(location.hash.split('?')[1] ?? '').get('problem');
  const q = PROBLEMS.includes(problem) ? `?problem=${problem}` : '';
  const [fleet, unacked] = await Promise.all([api(`/api/terminal-health${q}`), api('/api/terminal-config/unacknowledged')]);
  const card = (p) => h('a', { class: `stat${p === problem ? ' chosen' : ''}`, id: `tc-count-${p}`, href: `#/terminals?problem=${p}` }, h('span', {}, t(`tc.p.${p}`)), h('b', {}, fleet.counts[p]));
  const limits = `${t('tc.limits')}: ${t('tc.p.silent')} > ${fleet.limits.silentMin} min · ${t('tc.backlog')} > ${fleet.limits.backlogMax} · ${t('tc.clock')} > ${fleet.limits.clockOffsetMaxMs} ms`;
  return [
    h('h2', {}, t('tc.title')),
    h('div', { class: 'stats' }, h('a', { class: `stat${q ? '' : ' chosen'}`, id: 'tc-count-all', href: '#/terminals' }, h('span', {}, t('tc.all')), h('b', {}, fleet.total)), ...PROBLEMS.map(card)),
    h('p', { class: 'hint', id: 'tc-limits' }, limits),
    h('section', {}, h('h3', {}, q ? t(`tc.p.${problem}`) : t('tc.all')), healthTable(h, fleet.terminals),
      fleet.terminals.length ? null : h('p', { class: 'empty' }, t('tc.none'))),
    unacknowledgedList(h, unacked.terminals),
    canAct ? h('div', { class: 'tc-forms' }, pushForm(h, api, me), commandForm(h, api, me)) : null,
  ];
}
