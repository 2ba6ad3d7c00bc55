// The lift registry list: search, CSV import (each line at fault shown with its line and column;
// nothing written while any line is wrong) and export. One lift's entry is registry-entry.js.
import { w } from './registry-words.js';
import './registry.css';

const COLUMNS = ['liftId', 'registrationCode', 'name', 'type', 'maintenanceUnit', 'areaCode', 'address'];
const PAGE = 200;

/** Sends a CSV file to the import; the answer (with every line at fault) is shown in `out`. */
async function sendCsv(file, dryRun, out, h) {
  const res = await fetch(`/api/lift-registry/import?dryRun=${dryRun}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'text/csv' }, body: await file.text() });
  const body = await res.json();
  const rows = (body.errors ?? []).map((e) => h('tr', {}, h('td', {}, e.line), h('td', {}, e.liftId ?? ''), h('td', {}, e.column ? `${w(`r.${e.column}`)} (${e.column})` : ''), h('td', { class: 'why' }, e.message)));
  const head = res.ok ? w(dryRun ? 'r.checked' : 'r.result', body) : body.errors ? w('r.refused', { n: body.errors.length }) : body.error?.message ?? res.statusText;
  out.replaceChildren(h('p', { class: res.ok ? 'done' : 'error', id: 'import-result' }, head),
    rows.length ? h('div', { class: 'scroll' }, h('table', { id: 'import-errors' }, h('thead', {}, h('tr', {}, ...['r.line', 'r.liftId', 'r.column', 'r.problem'].map((k) => h('th', {}, w(k))))), h('tbody', {}, ...rows))) : null);
}

function importCard(h) {
  const out = h('div', { id: 'import-out' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'import-file' });
  const run = (dryRun) => () => (file.files[0] ? sendCsv(file.files[0], dryRun, out, h) : undefined);
  return h('section', { class: 'card import' }, h('h3', {}, w('r.import')), h('p', { class: 'hint' }, w('r.importHint')), h('label', {}, h('span', {}, w('r.file')), file),
    h('div', { class: 'buttons' }, h('button', { id: 'import-check', onclick: run(true) }, w('r.check')), h('button', { id: 'import-run', onclick: run(false) }, w('r.importDo'))), out);
}

/** The table of entries matching `search` (by lift id, registration code, name or address). */
async function entriesTable(h, api, search) {
  const { entries } = await api(`/api/lift-registry?limit=${PAGE}${search ? `&search=${encodeURIComponent(search)}` : ''}`);
  if (entries.length === 0) return h('p', { class: 'empty', id: 'registry-none' }, search ? w('r.noMatch') : w('r.none'));
  const cell = (e, c) => (c === 'type' && e.type ? w(`type.${e.type}`) : e[c] ?? '');
  return h('div', { class: 'scroll' }, h('table', { id: 'registry' },
    h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { class: `c-${c}` }, w(`r.${c}`))))),
    h('tbody', {}, ...entries.map((e) => h('tr', { data: { liftId: e.liftId } }, h('td', {}, h('a', { href: `#/registry/${encodeURIComponent(e.liftId)}` }, e.liftId)),
      ...COLUMNS.slice(1).map((c) => h('td', { class: `c-${c}` }, cell(e, c))))))),
  entries.length === PAGE ? h('p', { class: 'hint' }, w('r.more', { n: PAGE })) : null);
}

/** `#/registry`: the entries the user may see, with search; admins add a lift, import and export CSV. */
export async function registryPage({ h, api, me }) {
  const admin = me.role === 'admin';
  const search = h('input', { type: 'search', id: 'registry-search', placeholder: w('r.search'), autocomplete: 'off' });
  const list = h('div', { id: 'registry-list' }, await entriesTable(h, api, ''));
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => list.replaceChildren(await entriesTable(h, api, search.value.trim())), 250);
  });
  const add = h('form', { class: 'inline', id: 'registry-add' }, h('input', { name: 'liftId', placeholder: w('r.liftId'), required: '', pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]*' }), h('button', { type: 'submit' }, w('r.add')));
  add.addEventListener('submit', (e) => { e.preventDefault(); location.hash = `#/registry/${encodeURIComponent(add.elements.liftId.value.trim())}`; });
  return [
    h('h2', {}, w('r.title'), ' ', h('a', { href: '/api/exports/lift-registry.csv', download: 'lift-registry.csv', id: 'registry-export' }, w('r.export')),
      ' ', h('a', { href: '#/overdue' }, w('o.title'))),
    admin ? importCard(h) : null,
    h('div', { class: 'inline' }, search, admin ? add : null),
    list,
  ].filter(Boolean);
}
