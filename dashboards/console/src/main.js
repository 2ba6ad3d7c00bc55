// The liftwatch console: login, crew inbox with timers, lift page, regulator console; live through server-sent events.
import { alertPage } from './alert-page.js';
import { $, dur, h, num, time } from './dom.js';
import { createEscalations } from './escalation.js';
import { alertName, errorText, getLang, reasonText, setLang, t, translate, word } from './i18n.js';
import { liftPage } from './lift-page.js';
import { precisionSection, resolveWithFinding } from './findings.js';
import { adminNav, adminPage } from './admin.js';
import { hazardsPage } from './hazards.js';
import { isPhone, phoneInbox } from './phone-inbox.js';
import { qrPage, residentPage } from './residents.js';
import { terminalsPage } from './terminals.js';
import { setTimeZone } from './zone.js';
import { registryPages, registryRoute, workOrderButton } from './registry-routes.js';

const state = { me: null, lifts: new Map(), alerts: new Map(), policies: [], feed: null };
const ACTIVE = new Set(['open', 'acknowledged', 'onSite']);
const NEXT = { open: ['acknowledge', 'on-site', 'resolve'], acknowledged: ['on-site', 'resolve'], onSite: ['resolve'] };
const canAct = () => ['admin', 'manager', 'crew'].includes(state.me?.role);

async function api(path, init = {}) {
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (res.status === 401) {
    showLogin();
    throw new Error('not logged in');
  }
  const body = await res.json();
  if (!res.ok) throw new Error(errorText(body.error, res.statusText));
  return body;
}

function hideChrome() {
  $('#nav').hidden = true;
  $('#summary').hidden = true;
  $('#logout').hidden = true;
  $('#change-password-link').hidden = true;
}

function showLogin(message = '') {
  state.feed?.close();
  state.me = null;
  hideChrome();
  $('#me').textContent = '';
  const form = h('form', { id: 'login', class: 'card' },
    h('h2', { 'data-i18n': 'login.title' }),
    h('label', {}, h('span', { 'data-i18n': 'login.user' }), h('input', { id: 'username', autocomplete: 'username', required: '' })),
    h('label', {}, h('span', { 'data-i18n': 'login.password' }), h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: '' })),
    h('button', { type: 'submit', 'data-i18n': 'login.submit' }),
    h('p', { id: 'login-error', class: 'error' }, message));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: $('#username').value, password: $('#password').value }) });
    const body = await res.json();
    if (!res.ok) return void ($('#login-error').textContent = errorText(body.error, res.statusText));
    start();
  });
  $('#view').replaceChildren(form);
  translate(document);
}

/** Sets the user's own password: at once after a one-time password (`forced`: nothing else until then), or from the header. */
function showChangePassword(forced) {
  state.feed?.close();
  hideChrome();
  const field = (id, key, autocomplete) => h('label', {}, h('span', { 'data-i18n': key }), h('input', { id, type: 'password', autocomplete, required: '' }));
  const form = h('form', { id: 'change-password', class: 'card' },
    h('h2', { 'data-i18n': 'pw.title' }), forced ? h('p', { id: 'pw-forced', 'data-i18n': 'pw.forced' }) : null,
    field('current-password', 'pw.current', 'current-password'), field('new-password', 'pw.new', 'new-password'), field('new-password-2', 'pw.repeat', 'new-password'),
    h('p', { class: 'hint', 'data-i18n': 'pw.hint' }),
    h('button', { type: 'submit', 'data-i18n': 'pw.submit' }),
    forced ? null : h('button', { type: 'button', id: 'pw-cancel', 'data-i18n': 'pw.cancel', onclick: () => start() }),
    h('p', { id: 'pw-error', class: 'error' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if ($('#new-password').value !== $('#new-password-2').value) return void ($('#pw-error').textContent = t('pw.mismatch'));
    const res = await fetch('/api/me/password', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: $('#current-password').value, newPassword: $('#new-password').value }) });
    const body = await res.json();
    if (!res.ok) return void ($('#pw-error').textContent = errorText(body.error, res.statusText));
    start();
  });
  $('#view').replaceChildren(form);
  translate(document);
}

async function start() {
  try {
    state.me = await api('/api/me');
  } catch {
    return;
  }
  $('#me').textContent = `${state.me.name} · ${state.me.role}${state.me.orgId ? ` · ${state.me.orgId}` : ''}`;
  $('#me').dataset.role = state.me.role;
  // every time on the page is in the server's zone, shown once beside the user
  setTimeZone(state.me.timeZone);
  $('#zone-name').textContent = state.me.timeZone;
  $('#zone').hidden = false;
  if (state.me.mustChangePassword) return showChangePassword(true);
  $('#nav').hidden = false;
  $('#nav-garbage').hidden = state.me.role !== 'admin';
  adminNav(state.me);
  $('#summary').hidden = false;
  $('#logout').hidden = false;
  $('#change-password-link').hidden = false;
  listen();
  const [l, a, p] = await Promise.all([api('/api/lifts?limit=5000'), api('/api/alerts?state=active'), api('/api/escalation-policies').catch(() => ({ policies: [] }))]);
  // The live feed may already hold newer views than this first load: keep the newer one.
  for (const lift of l.lifts) if (!(state.lifts.get(lift.liftId)?.lastSeenAt > lift.lastSeenAt)) state.lifts.set(lift.liftId, lift);
  for (const alert of a.alerts) if (!(state.alerts.get(alert.id)?.updatedAt > alert.updatedAt)) state.alerts.set(alert.id, alert);
  state.policies = p.policies;
  route();
}

function listen() {
  state.feed?.close();
  $('#feed').dataset.i18n = 'feed.connecting';
  $('#feed').textContent = t('feed.connecting');
  const feed = new EventSource('/api/events');
  state.feed = feed;
  feed.addEventListener('hello', () => { $('#feed').dataset.i18n = 'feed.live'; $('#feed').textContent = t('feed.live'); $('#feed').dataset.live = '1'; });
  feed.addEventListener('lifts', (e) => { for (const lift of JSON.parse(e.data)) state.lifts.set(lift.liftId, lift); rerender(); });
  feed.addEventListener('alerts', (e) => { for (const alert of JSON.parse(e.data)) state.alerts.set(alert.id, alert); rerender(); });
  // The server ends the stream when the user's sessions are closed (disabled, new password).
  feed.addEventListener('closed', () => { feed.close(); showLogin(t('login.closed')); });
  feed.onerror = () => { $('#feed').dataset.i18n = 'feed.reconnecting'; $('#feed').textContent = t('feed.reconnecting'); };
}

// ---- crew inbox ----
/** Seconds to the next escalation step this alert is still subject to, from the unit's policy. */
function nextEscalation(a, now) {
  const policy = state.policies.find((p) => p.severity === a.severity && (p.orgId === state.me.orgId || state.me.role === 'admin'))?.policy;
  if (!policy || a.state !== 'open') return null;
  const step = policy.steps.find((s) => a.openedAt + s.afterS * 1000 > now);
  return step ? a.openedAt + step.afterS * 1000 - now : null;
}

function timerText(a, now) {
  // Open: the clock runs. Acknowledged or later: it stops at the time the alert was taken.
  return a.state === 'open' ? dur(now - a.openedAt) : `${dur(a.updatedAt - a.openedAt)} · ${t('stopped')}`;
}

async function act(a, action, note) {
  const updated = await api(`/api/alerts/${a.id}/${action}`, { method: 'POST', body: JSON.stringify({ note }) });
  state.alerts.set(updated.id, updated);
  rerender();
}

/** The buttons that move an alert on (resolve asks what the crew found), with the note typed beside them. */
function actionButtons(a, note) {
  const closed = (updated) => { state.alerts.set(updated.id, updated); rerender(); };
  return canAct() ? (NEXT[a.state] ?? []).map((action) => h('button', { class: `act ${action}`, onclick: () => (action === 'resolve' ? resolveWithFinding(a, note.value, { h, api, done: closed }) : act(a, action, note.value)) }, t(`act.${action}`))) : [];
}

/** Who was notified of each alert and who is next (read per alert; the inbox shows the first 100 alerts' ones). */
const escalations = createEscalations((path) => api(path), () => rerender());

function inbox() {
  const now = Date.now();
  const rows = [...state.alerts.values()].filter((a) => ACTIVE.has(a.state)).sort((a, b) => a.severity.localeCompare(b.severity) || b.openedAt - a.openedAt);
  escalations.track(rows.slice(0, 100));
  const alertRows = rows.map((a) => {
    const left = nextEscalation(a, now);
    const note = h('input', { class: 'note', placeholder: t('note'), maxlength: '2000' });
    const buttons = actionButtons(a, note);
    return h('tr', { class: `sev-${a.severity}`, data: { alertId: a.id, state: a.state } },
      h('td', {}, a.severity), h('td', {}, h('a', { href: `#/lift/${encodeURIComponent(a.liftId)}` }, a.liftId)),
      h('td', {}, h('a', { href: `#/alert/${a.id}` }, `${a.code} ${alertName(a)}`)), h('td', { class: 'why' }, reasonText(a)),
      h('td', { class: 'timer', data: { openedAt: a.openedAt } }, timerText(a, now)), h('td', { class: 'next' }, left === null ? t('none') : dur(left)),
      escalations.cell(h, a), h('td', { class: 'state' }, t(`state.${a.state}`)), h('td', { class: 'actions' }, ...(canAct() ? [note, ...buttons] : [])));
  });
  const lifts = [...state.lifts.values()].sort((a, b) => a.liftId.localeCompare(b.liftId));
  const motion = (s) => (s ? `${s.direction === 'up' ? '↑' : s.direction === 'down' ? '↓' : '·'} ${Math.abs(s.speedMps).toFixed(2)} m/s` : '–');
  const liftRows = lifts.map((l) => h('tr', { data: { liftId: l.liftId }, class: l.presence === 'offline' ? 'offline' : '' },
    h('td', {}, h('a', { href: `#/lift/${encodeURIComponent(l.liftId)}` }, l.liftId)), h('td', {}, word('presence', l.presence)), h('td', {}, word('mode', l.status?.serviceMode)),
    h('td', { class: 'floor' }, l.status ? l.status.floor : '–'), h('td', { class: 'motion' }, motion(l.status)),
    h('td', {}, l.status ? word('door', l.status.carDoor) + (l.status.doorZone ? '' : t('door.outsideZone')) : '–'), h('td', {}, time(l.lastSeenAt)), h('td', {}, l.openAlerts)));
  $('#count-lifts').textContent = lifts.length;
  $('#count-online').textContent = lifts.filter((l) => l.presence !== 'offline').length;
  $('#count-alerts').textContent = rows.length;
  $('#count-p1').textContent = rows.filter((a) => a.severity === 'P1').length;
  const cols = (...keys) => h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', {}, t(k)))));
  if (isPhone()) return phoneInbox(rows, { h, api, lifts: state.lifts, canAct: canAct(), buttons: actionButtons, redraw: rerender });
  return [
    h('section', {}, h('h2', {}, t('inbox.title')), escalations.notices(h, state.me, rows),
      h('div', { class: 'scroll' }, h('table', { id: 'alerts' }, cols('col.sev', 'col.lift', 'col.alert', 'col.why', 'col.open', 'col.next', 'col.notified', 'col.state', 'col.actions'), h('tbody', {}, ...alertRows))),
      rows.length ? null : h('p', { id: 'no-alerts', class: 'empty' }, t('inbox.none'))),
    h('section', {}, h('h2', {}, t('lifts.title')),
      h('div', { class: 'scroll' }, h('table', { id: 'lifts' }, cols('col.lift', 'col.terminal', 'col.mode', 'col.floor', 'col.motion', 'col.doors', 'col.last', 'col.alerts'), h('tbody', {}, ...liftRows))),
      h('p', { id: 'no-lifts', class: 'empty', ...(lifts.length ? { hidden: '' } : {}) }, t('lifts.none'))),
  ];
}

// ---- regulator console ----
let riskSort = 'risk';
async function districtPage() {
  const area = new URLSearchParams(location.hash.split('?')[1] ?? '').get('area') ?? state.me.areaCode ?? '';
  const q = area ? `areaCode=${area}&` : '';
  const [o, r] = await Promise.all([api(`/api/overview?${q}`), api(`/api/riskiest?${q}sort=${riskSort}&limit=50`)]);
  const card = (key, value, id) => h('div', { class: 'stat', id }, h('span', {}, t(key)), h('b', {}, value));
  const sortBy = (key) => () => { riskSort = key; route(); };
  return [
    h('h2', {}, `${t('d.title')}${area ? ` · ${area}` : ''}`),
    h('div', { class: 'stats' }, card('d.lifts', o.lifts, 'd-lifts'), card('d.online', o.online), card('d.silent', o.silent.length), card('sum.alerts', Object.values(o.openAlerts).reduce((x, y) => x + y, 0)),
      card('d.failures', o.per1000LiftsLast30Days.failures), card('d.entrap', o.per1000LiftsLast30Days.entrapments),
      card('d.rescue', `${o.rescue.overLimit} / ${o.rescue.arrivals.length}`), card('d.overdue', o.overdueMaintenance.count),
      card('d.grades', o.grades ? Object.entries(o.grades).map(([g, n]) => `${g === 'none' ? t('h.insufficient') : g}:${n}`).join(' ') : t('lift.notYet'), 'd-grades')),
    h('section', {}, h('h2', {}, t('d.riskiest'), ' ', h('a', { href: '/api/exports/lifts.csv', id: 'export', download: 'lifts.csv' }, t('d.export'))),
      h('div', { class: 'scroll' }, h('table', { id: 'riskiest' },
        h('thead', {}, h('tr', {}, ...[['liftId', 'col.lift'], ['risk', 'col.risk'], ['predicted', 'col.predicted'], ['health', 'col.health'], ['openAlerts', 'col.alerts'], ['lastSeenAt', 'col.last']].map(([k, label]) =>
          h('th', { class: `sortable${riskSort === k ? ' sorted' : ''}`, data: { sort: k }, onclick: sortBy(k) }, t(label))), h('th', {}, t('col.name')))),
        h('tbody', {}, ...r.lifts.map((l) => h('tr', { data: { liftId: l.liftId } }, h('td', {}, h('a', { href: `#/lift/${encodeURIComponent(l.liftId)}` }, l.liftId)),
          h('td', {}, l.p1 > 0 ? `P1 × ${l.p1}` : l.risk), h('td', { class: `num${(l.predictedRisk ?? 0) >= 1 ? ' bad' : ''}` }, l.predictedRisk === null ? '–' : `${num(l.predictedRisk * 100, 0)} %`),
          h('td', { class: `grade grade-${l.health?.grade ?? 'none'}` }, l.health ? `${num(l.health.score, 1)} ${l.health.grade ?? t('h.insufficient')}${l.health.provisional ? ` (${t('h.provisional')})` : ''}` : '–'),
          h('td', {}, l.openAlerts), h('td', {}, time(l.lastSeenAt)), h('td', {}, l.name ?? ''))))))),
    precisionSection(h, api)];
}

// ---- terminals whose messages cannot be stored (admins) ----
async function garbagePage() {
  const { terminals } = await api('/api/dead-letters/terminals?limit=500');
  const cols = (...keys) => h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', {}, t(k)))));
  const rows = terminals.map((x) => h('tr', { class: x.overQuota ? 'over-quota' : '', data: { clientId: x.clientId ?? '' } },
    h('td', {}, x.clientId ?? t('g.platform')), h('td', {}, x.overQuota ? t('g.flooding') : t('g.some')),
    h('td', {}, `${x.kept} · ${Math.ceil(x.keptBytes / 1024)} KiB`), h('td', {}, x.droppedSinceStart), h('td', {}, time(x.lastAt)),
    h('td', { class: 'why' }, `${x.lastCode} · ${x.lastTopic}: ${x.lastReason}`)));
  return [h('section', {}, h('h2', {}, t('g.title')), h('p', {}, t('g.hint')),
    h('div', { class: 'scroll' }, h('table', { id: 'garbage' }, cols('col.terminal', 'col.state', 'g.kept', 'g.dropped', 'col.last', 'col.why'), h('tbody', {}, ...rows))),
    terminals.length ? null : h('p', { class: 'empty' }, t('g.none')))];
}

// ---- routing ----
/** Pages of their own files: admin screens, hazards, the QR sign of a lift. */
const PAGES = { admin: adminPage, hazards: hazardsPage, qr: qrPage };
let current = '';
async function route() {
  if (!state.me) return;
  const hash = location.hash || '#/';
  current = hash;
  const [, page, arg] = hash.split('?')[0].split('/');
  let nodes;
  try {
    if (page === 'lift' && arg) nodes = await liftPage(api, decodeURIComponent(arg));
    else if (page === 'alert' && arg) nodes = await alertPage(api, Number(arg), { workOrder: (a) => workOrderButton(a, { h, api, me: state.me }) });
    else if (page === 'district') nodes = await districtPage();
    else if (page === 'garbage') nodes = await garbagePage();
    else if (PAGES[page]) nodes = await PAGES[page](arg && decodeURIComponent(arg), { h, api, me: state.me, lifts: state.lifts, reload: route });
    else if (page === 'terminals') nodes = await terminalsPage({ h, api, me: state.me, canAct: canAct() });
    else if (registryPages.has(page)) nodes = await registryRoute(page, arg, { h, api, me: state.me });
    else nodes = inbox();
  } catch (err) {
    nodes = [h('p', { class: 'error' }, String(err.message ?? err))];
  }
  if (current === hash) $('#view').replaceChildren(...nodes);
  document.body.dataset.page = page || 'inbox';
}

let pending = false;
function rerender() {
  if (pending || !(location.hash === '' || location.hash === '#/')) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; route(); });
}

// Timers tick every second without rebuilding the page.
setInterval(() => {
  const now = Date.now();
  for (const tr of document.querySelectorAll('#alerts tr[data-alert-id]')) {
    const a = state.alerts.get(Number(tr.dataset.alertId));
    if (!a) continue;
    $('.timer', tr).textContent = timerText(a, now);
    const left = nextEscalation(a, now);
    $('.next', tr).textContent = left === null ? t('none') : dur(left);
  }
}, 1000);

$('#lang').value = getLang();
$('#lang').addEventListener('change', (e) => { setLang(e.target.value); route(); });
$('#logout').addEventListener('click', async () => { await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' }); showLogin(); });
$('#change-password-link').addEventListener('click', () => showChangePassword(false));
window.addEventListener('hashchange', route);
setLang(getLang());
// The public page of a lift (its QR code) needs no login.
if (!residentPage(h)) start();
