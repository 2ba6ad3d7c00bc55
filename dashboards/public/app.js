// The live page: loads lifts and open alerts once, then applies the server-sent changes.
const lifts = new Map();
const alerts = new Map();
const ACTIVE = new Set(['open', 'acknowledged', 'onSite']);

const $ = (sel) => document.querySelector(sel);
const time = (ms) => (ms ? new Date(ms).toLocaleTimeString() : '–');
const text = (v) => (v === undefined || v === null ? '–' : String(v));

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value;
  if (className) td.className = className;
  return td;
}

function motion(s) {
  if (!s) return '–';
  const arrow = s.direction === 'up' ? '↑' : s.direction === 'down' ? '↓' : '·';
  return `${arrow} ${Math.abs(s.speedMps).toFixed(2)} m/s`;
}

function renderLifts() {
  const body = $('#lifts tbody');
  const rows = [...lifts.values()].sort((a, b) => a.liftId.localeCompare(b.liftId));
  body.replaceChildren();
  for (const l of rows) {
    const tr = body.insertRow();
    tr.dataset.liftId = l.liftId;
    if (l.presence === 'offline') tr.className = 'offline';
    const s = l.status;
    cell(tr, l.liftId);
    cell(tr, l.presence);
    cell(tr, s ? s.serviceMode : '–');
    cell(tr, s ? s.floor : '–', 'floor');
    cell(tr, motion(s), 'motion');
    cell(tr, s ? s.carDoor + (s.doorZone ? '' : ' (outside zone)') : '–');
    cell(tr, s ? text(s.passengersPresent) : '–');
    cell(tr, time(l.lastSeenAt));
    cell(tr, l.openAlerts);
  }
  $('#no-lifts').hidden = rows.length > 0;
  $('#count-lifts').textContent = rows.length;
  $('#count-online').textContent = rows.filter((l) => l.presence !== 'offline').length;
}

function renderAlerts() {
  const body = $('#alerts tbody');
  const rows = [...alerts.values()].filter((a) => ACTIVE.has(a.state))
    .sort((a, b) => a.severity.localeCompare(b.severity) || b.openedAt - a.openedAt);
  body.replaceChildren();
  for (const a of rows) {
    const tr = body.insertRow();
    tr.className = `sev-${a.severity}`;
    tr.dataset.alertId = a.id;
    cell(tr, a.severity);
    cell(tr, a.liftId);
    cell(tr, `${a.code} ${a.nameEn} · ${a.nameZh}`);
    cell(tr, a.reason, 'why');
    cell(tr, time(a.openedAt));
    cell(tr, `${a.occurrences}×, last ${time(a.lastSeenAt)}`);
    cell(tr, a.state + (a.conditionClearedAt ? ' (condition cleared)' : ''));
  }
  $('#no-alerts').hidden = rows.length > 0;
  $('#count-alerts').textContent = rows.length;
  $('#count-p1').textContent = rows.filter((a) => a.severity === 'P1').length;
}

let pending = false;
function render() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    renderLifts();
    renderAlerts();
  });
}

async function load() {
  const [l, a] = await Promise.all([fetch('/api/lifts?limit=5000').then((r) => r.json()), fetch('/api/alerts?state=active').then((r) => r.json())]);
  // The live feed may already hold newer views than this first load: keep the newer one.
  for (const lift of l.lifts) if (!(lifts.get(lift.liftId)?.lastSeenAt > lift.lastSeenAt)) lifts.set(lift.liftId, lift);
  for (const alert of a.alerts) if (!(alerts.get(alert.id)?.updatedAt > alert.updatedAt)) alerts.set(alert.id, alert);
  render();
}

function listen() {
  const feed = new EventSource('/api/events');
  feed.addEventListener('hello', () => { $('#feed').textContent = 'live'; });
  feed.addEventListener('lifts', (e) => {
    for (const lift of JSON.parse(e.data)) lifts.set(lift.liftId, lift);
    render();
  });
  feed.addEventListener('alerts', (e) => {
    for (const alert of JSON.parse(e.data)) alerts.set(alert.id, alert);
    render();
  });
  feed.onerror = () => { $('#feed').textContent = 'reconnecting…'; };
}

listen();
load();
