/* global FormData */
// Admin and manager screens: organisations, people (a manager adds their own technicians: role,
// phone, language, a login), on-call rotas, escalation policies and which unit looks after which
// lift. The API decides what each may change (a manager: their own unit); these screens only ask.
import { addWords, getLang, t } from './i18n.js';
import { ADMIN_WORDS } from './admin-words.js';
import './admin.css';
import { fromZoneInput, timeZone, zoneInput } from './zone.js';

addWords(ADMIN_WORDS);

const TABS = ['people', 'orgs', 'rota', 'policies', 'lifts'];
const UNIT_ROLES = ['supervisor', 'manager'];
const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];
const mayManage = (me) => ['admin', 'manager'].includes(me?.role);

/** Shows the links to these screens (and to hazards) to those who may use them. */
export function adminNav(me) {
  document.querySelector('#nav-admin').hidden = !mayManage(me);
  document.querySelector('#nav-hazards').hidden = !me;
}

/** Whether the API stores a person's language (a field of the person's schema in the API's document). */
let languageField;
async function personHasLanguage() {
  languageField ??= fetch('/docs/json').then((r) => r.json())
    .then((doc) => JSON.stringify(doc.paths?.['/api/people']?.get ?? {}).includes('"language"')).catch(() => false);
  return languageField;
}

const field = (h, key, input) => h('label', {}, h('span', {}, t(key)), input);
const select = (h, name, options, value) => h('select', { name }, ...options.map(([v, label]) => {
  const o = h('option', { value: v }, label);
  if (v === value) o.selected = true;
  return o;
}));
const table = (h, id, keys, rows) => h('div', { class: 'scroll' }, h('table', { id }, h('thead', {}, h('tr', {}, ...keys.map((k) => h('th', {}, t(k))))), h('tbody', {}, ...rows)));

/** A form whose submit runs `save(values)`, then reloads the page; a refusal shows the API's message. */
function form(h, id, fields, save, reload) {
  const error = h('p', { class: 'error', role: 'alert' });
  const f = h('form', { id, class: 'card admin-form' }, ...fields, h('button', { type: 'submit' }, t('adm.save')), error);
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await save(Object.fromEntries(new FormData(f)));
      await reload();
    } catch (err) {
      error.textContent = String(err.message ?? err);
    }
  });
  return f;
}

export async function adminPage(tab, ctx) {
  const { h, me } = ctx;
  if (!mayManage(me)) return [h('p', { class: 'error' }, t('adm.notAllowed'))];
  const current = TABS.includes(tab) ? tab : 'people';
  const nav = h('nav', { class: 'tabs' }, ...TABS.map((x) => h('a', { href: `#/admin/${x}`, class: x === current ? 'active' : '', data: { tab: x } }, t(`adm.tab.${x}`))));
  const body = await { people: peopleTab, orgs: orgsTab, rota: rotaTab, policies: policiesTab, lifts: liftsTab }[current](ctx);
  return [h('h2', {}, t('adm.title')), nav, ...body.filter((n) => n)];
}

// ---- people ----
const roleOf = (orgs, p) => UNIT_ROLES.find((r) => orgs.find((o) => o.id === p.orgId)?.roles?.[r]?.includes(p.id)) ?? 'technician';
const phoneOf = (p) => p.channels.find((c) => c.kind === 'sms')?.to ?? '';

async function peopleTab({ h, api, me, reload }) {
  const [{ organisations: orgs }, { people }, withLanguage] = await Promise.all([api('/api/organisations'), api('/api/people'), personHasLanguage()]);
  const units = orgs.filter((o) => me.role === 'admin' || o.id === me.orgId);
  /** Puts a person's values in the form below, to change them. */
  const edit = (p) => {
    const f = document.querySelector('#person-form');
    for (const [name, value] of Object.entries({ id: p.id, name: p.name, orgId: p.orgId, role: roleOf(orgs, p), phone: phoneOf(p), language: p.language ?? getLang(), password: '' })) f.elements[name].value = value;
    f.scrollIntoView();
  };
  const rows = people.map((p) => h('tr', { data: { personId: p.id } }, h('td', {}, p.id), h('td', {}, p.name), h('td', {}, p.orgId),
    h('td', {}, t(`adm.role.${roleOf(orgs, p)}`)), h('td', {}, phoneOf(p) ? h('a', { href: `tel:${phoneOf(p)}` }, phoneOf(p)) : '–'), h('td', {}, p.language ? t(`adm.lang.${p.language}`) : '–'),
    h('td', {}, h('button', { type: 'button', class: 'edit', onclick: () => edit(p) }, t('adm.edit')))));
  const save = async (v) => {
    const stored = people.find((p) => p.id === v.id);
    const channels = (stored?.channels ?? []).filter((c) => c.kind !== 'sms').map(({ kind, to }) => ({ kind, to }));
    if (v.phone.trim()) channels.push({ kind: 'sms', to: v.phone.trim() });
    const person = { name: v.name, orgId: v.orgId, channels, ...(stored ? { severities: stored.severities, quietHours: stored.quietHours } : {}), ...(withLanguage ? { language: v.language } : {}) };
    await api(`/api/people/${encodeURIComponent(v.id)}`, { method: 'PUT', body: JSON.stringify(person) });
    await setUnitRole(api, orgs.find((o) => o.id === v.orgId), v.id, v.role);
    if (v.password) {
      const role = v.role === 'manager' && me.role === 'admin' ? 'manager' : 'crew';
      await api(`/api/users/${encodeURIComponent(v.id)}`, { method: 'PUT', body: JSON.stringify({ name: v.name, role, orgId: v.orgId, password: v.password }) });
    }
  };
  const fields = [
    field(h, 'adm.id', h('input', { name: 'id', required: '', pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]*', maxlength: '64' })),
    field(h, 'adm.name', h('input', { name: 'name', required: '', maxlength: '200' })),
    field(h, 'adm.org', select(h, 'orgId', units.filter((o) => o.kind === 'maintenanceUnit').map((o) => [o.id, `${o.name} (${o.id})`]), me.orgId)),
    field(h, 'adm.role', select(h, 'role', ['technician', ...UNIT_ROLES].map((r) => [r, t(`adm.role.${r}`)]), 'technician')),
    field(h, 'adm.phone', h('input', { name: 'phone', type: 'tel', inputmode: 'tel', pattern: '\\+?[0-9 ()\\-]{5,20}', placeholder: '+86 138 0000 0000' })),
    field(h, 'adm.language', select(h, 'language', [['zh-CN', t('adm.lang.zh-CN')], ['en', t('adm.lang.en')]], getLang())),
    field(h, 'adm.password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' })),
    h('p', { class: 'hint' }, t(withLanguage ? 'adm.people.hint' : 'adm.people.hintNoLanguage')),
  ];
  return [table(h, 'people', ['adm.id', 'adm.name', 'adm.org', 'adm.role', 'adm.phone', 'adm.language', 'adm.edit'], rows),
    h('h3', {}, t('adm.people.add')), form(h, 'person-form', fields, save, reload)];
}

/** Puts the person in the unit's list of `role` (supervisor, manager) and out of the others; writes the unit only when that changes it. */
async function setUnitRole(api, org, personId, role) {
  if (!org) return;
  const roles = { ...org.roles };
  for (const r of UNIT_ROLES) roles[r] = (roles[r] ?? []).filter((id) => id !== personId).concat(r === role ? [personId] : []);
  if (UNIT_ROLES.every((r) => JSON.stringify(roles[r]) === JSON.stringify(org.roles?.[r] ?? []))) return;
  await api(`/api/organisations/${encodeURIComponent(org.id)}`, { method: 'PUT', body: JSON.stringify({ kind: org.kind, name: org.name, roles }) });
}

// ---- organisations ----
async function orgsTab({ h, api, me, reload }) {
  const { organisations: orgs } = await api('/api/organisations');
  const rows = orgs.map((o) => h('tr', { data: { orgId: o.id } }, h('td', {}, o.id), h('td', {}, t(`adm.kind.${o.kind}`)), h('td', {}, o.name),
    h('td', {}, Object.entries(o.roles ?? {}).filter(([, ids]) => ids.length).map(([r, ids]) => `${t(`adm.role.${r}`)}: ${ids.join(', ')}`).join('; ') || '–')));
  const save = (v) => {
    const stored = orgs.find((o) => o.id === v.id);
    return api(`/api/organisations/${encodeURIComponent(v.id)}`, { method: 'PUT', body: JSON.stringify({ kind: v.kind, name: v.name, roles: stored?.roles ?? {} }) });
  };
  const kinds = ['maintenanceUnit', 'useUnit', 'district'].map((k) => [k, t(`adm.kind.${k}`)]);
  const fields = [
    field(h, 'adm.id', h('input', { name: 'id', required: '', maxlength: '64', ...(me.role === 'admin' ? {} : { value: me.orgId, readonly: '' }) })),
    field(h, 'adm.kind', select(h, 'kind', me.role === 'admin' ? kinds : kinds.filter(([k]) => k === 'maintenanceUnit'), 'maintenanceUnit')),
    field(h, 'adm.name', h('input', { name: 'name', required: '', maxlength: '200' })),
  ];
  return [table(h, 'orgs', ['adm.id', 'adm.kind', 'adm.name', 'adm.roles'], rows), h('h3', {}, t(me.role === 'admin' ? 'adm.orgs.add' : 'adm.orgs.rename')), form(h, 'org-form', fields, save, reload)];
}

// ---- rota ----
const when = (ms) => new Date(ms).toLocaleString(getLang(), { dateStyle: 'short', timeStyle: 'short', timeZone: timeZone() });

async function rotaTab({ h, api, me, reload }) {
  const [{ organisations: orgs }, { people }] = await Promise.all([api('/api/organisations'), api('/api/people')]);
  const units = orgs.filter((o) => o.kind === 'maintenanceUnit' && (me.role === 'admin' || o.id === me.orgId));
  const from = Date.now() - 86_400_000;
  const shifts = (await Promise.all(units.map((u) => api(`/api/rota/${encodeURIComponent(u.id)}?from=${from}`).then((r) => r.shifts)))).flat().sort((a, b) => a.startsAt - b.startsAt);
  const name = (id) => people.find((p) => p.id === id)?.name ?? id;
  const rows = shifts.map((s) => h('tr', { data: { shiftId: s.id } }, h('td', {}, s.unitId), h('td', {}, when(s.startsAt)), h('td', {}, when(s.endsAt)), h('td', {}, name(s.primary)), h('td', {}, name(s.backup))));
  const options = people.filter((p) => units.some((u) => u.id === p.orgId)).map((p) => [p.id, `${p.name} (${p.orgId})`]);
  const start = new Date(fromZoneInput(`${zoneInput(Date.now()).slice(0, 10)}T08:00`)); // 08:00 today where the lifts are
  const save = (v) => api('/api/rota', { method: 'POST', body: JSON.stringify({ unitId: v.unitId, startsAt: fromZoneInput(v.startsAt), endsAt: fromZoneInput(v.endsAt), primary: v.primary, backup: v.backup }) });
  const fields = [
    field(h, 'adm.unit', select(h, 'unitId', units.map((u) => [u.id, u.name]), me.orgId)),
    field(h, 'adm.starts', h('input', { name: 'startsAt', type: 'datetime-local', required: '', value: zoneInput(start.getTime()) })),
    field(h, 'adm.ends', h('input', { name: 'endsAt', type: 'datetime-local', required: '', value: zoneInput(start.getTime() + 12 * 3_600_000) })),
    field(h, 'adm.primary', select(h, 'primary', options)), field(h, 'adm.backup', select(h, 'backup', options, options[1]?.[0])),
  ];
  return [table(h, 'rota', ['adm.unit', 'adm.starts', 'adm.ends', 'adm.primary', 'adm.backup'], rows),
    shifts.length ? null : h('p', { class: 'empty' }, t('adm.rota.none')), h('h3', {}, t('adm.rota.add')), form(h, 'shift-form', fields, save, reload)];
}

// ---- escalation policies ----
async function policiesTab({ h, api, me, reload }) {
  const [{ organisations: orgs }, { policies }] = await Promise.all([api('/api/organisations'), api('/api/escalation-policies')]);
  const units = orgs.filter((o) => o.kind === 'maintenanceUnit' && (me.role === 'admin' || o.id === me.orgId));
  const steps = (p) => p.steps.map((s) => `${Math.round(s.afterS / 60)} min → ${s.notify.map((r) => t(`adm.role.${r}`)).join(', ')}`).join(' · ');
  const rows = policies.map((p) => h('tr', { data: { orgId: p.orgId, severity: p.severity } }, h('td', {}, p.orgId), h('td', {}, p.severity), h('td', {}, p.policy.name), h('td', {}, steps(p.policy))));
  const save = (v) => {
    let body;
    try {
      body = v.policy.trim() ? JSON.parse(v.policy) : { preset: '1-3-5' };
    } catch (err) {
      throw new Error(`${t('adm.policy.json')}: ${err.message}`);
    }
    return api(`/api/escalation-policies/${encodeURIComponent(v.orgId)}/${v.severity}`, { method: 'PUT', body: JSON.stringify(body) });
  };
  const fields = [
    field(h, 'adm.unit', select(h, 'orgId', units.map((u) => [u.id, u.name]), me.orgId)),
    field(h, 'adm.severity', select(h, 'severity', SEVERITIES.map((s) => [s, s]), 'P1')),
    field(h, 'adm.policy', h('textarea', { name: 'policy', rows: '5', placeholder: t('adm.policy.placeholder') })),
  ];
  return [table(h, 'policies', ['adm.unit', 'adm.severity', 'adm.name', 'adm.steps'], rows), h('h3', {}, t('adm.policy.set')), form(h, 'policy-form', fields, save, reload)];
}

// ---- lift assignment ----
async function liftsTab({ h, api, me, lifts, reload }) {
  const [{ organisations: orgs }, { assignments }] = await Promise.all([api('/api/organisations'), api('/api/crew-lifts')]);
  const byLift = new Map(assignments.map((a) => [a.liftId, a]));
  const ids = [...new Set([...lifts.keys(), ...byLift.keys()])].sort();
  const of = (kind) => [['', '–'], ...orgs.filter((o) => o.kind === kind).map((o) => [o.id, o.name])];
  const row = (liftId) => {
    const a = byLift.get(liftId);
    const lift = lifts.get(liftId);
    const cells = me.role === 'admin'
      ? [select(h, 'maintenanceUnit', of('maintenanceUnit'), a?.maintenanceUnit ?? ''), select(h, 'useUnit', of('useUnit'), a?.useUnit ?? ''), select(h, 'district', of('district'), a?.district ?? '')]
      : [a?.maintenanceUnit ?? '–', a?.useUnit ?? '–', a?.district ?? '–'];
    const tr = h('tr', { data: { liftId } }, h('td', {}, liftId), h('td', {}, lift?.registered?.name ?? lift?.registry?.name ?? ''), ...cells.map((c) => h('td', {}, c)),
      h('td', {}, h('a', { href: `#/qr/${encodeURIComponent(liftId)}`, class: 'qr-link' }, t('adm.qr'))));
    if (me.role === 'admin') {
      const error = h('span', { class: 'error' });
      const save = async () => {
        const v = Object.fromEntries([...tr.querySelectorAll('select')].map((s) => [s.name, s.value || null]));
        if (!v.maintenanceUnit) return void (error.textContent = t('adm.lifts.needUnit'));
        try {
          await api(`/api/crew-lifts/${encodeURIComponent(liftId)}`, { method: 'PUT', body: JSON.stringify(v) });
          await reload();
        } catch (err) {
          error.textContent = String(err.message ?? err);
        }
      };
      tr.append(h('td', {}, h('button', { type: 'button', class: 'assign', onclick: save }, t('adm.save')), error));
    }
    return tr;
  };
  return [h('p', { class: 'hint' }, t('adm.lifts.hint')), table(h, 'assignments', ['col.lift', 'col.name', 'adm.kind.maintenanceUnit', 'adm.kind.useUnit', 'adm.kind.district', 'adm.qr', ...(me.role === 'admin' ? ['adm.save'] : [])], ids.map(row))];
}
