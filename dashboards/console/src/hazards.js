/* global FormData, FileReader */
// Hazards to closure (#/hazards): those not yet closed on the user's lifts, with who reported them;
// a crew records one and its fix (a note and a photo); a manager, an inspector or an admin checks
// the fix and closes it or sends it back. Residents report from the lift's public page.
import { addWords, getLang, t } from './i18n.js';
import { ADMIN_WORDS } from './admin-words.js';
import { CATEGORIES } from './residents.js';
import { timeZone } from './zone.js';

addWords(ADMIN_WORDS);

const FIXERS = new Set(['admin', 'manager', 'crew']);
const REVIEWERS = new Set(['admin', 'manager', 'regulator']);

/** A file as base64 (without the data: prefix). */
const base64 = (file) => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});

export async function hazardsPage(_arg, { h, api, me, lifts, reload }) {
  const { hazards } = await api('/api/hazards?state=active');
  const fail = (el) => (err) => { el.textContent = String(err.message ?? err); };
  const actions = (x) => {
    const error = h('p', { class: 'error' });
    if (x.state === 'open' && FIXERS.has(me.role)) {
      const note = h('input', { name: 'note', placeholder: t('hz.note'), maxlength: '2000' });
      const photo = h('input', { name: 'photo', type: 'file', accept: 'image/jpeg,image/png', capture: 'environment' });
      const send = async () => {
        const file = photo.files[0];
        if (!file) return void (error.textContent = t('hz.needPhoto'));
        await api(`/api/hazards/${x.id}/rectify`, { method: 'POST', body: JSON.stringify({ note: note.value, photo: { contentType: file.type, dataBase64: await base64(file) } }) });
        await reload();
      };
      return h('div', { class: 'hazard-acts' }, note, h('label', {}, t('hz.photo'), photo), h('button', { class: 'rectify', onclick: () => send().catch(fail(error)) }, t('hz.rectify')), error);
    }
    if (x.state === 'rectified' && REVIEWERS.has(me.role)) {
      const review = (accept) => api(`/api/hazards/${x.id}/review`, { method: 'POST', body: JSON.stringify({ accept }) }).then(reload).catch(fail(error));
      return h('div', { class: 'hazard-acts' }, h('button', { class: 'accept', onclick: () => review(true) }, t('hz.accept')), h('button', { class: 'reject', onclick: () => review(false) }, t('hz.reject')), error);
    }
    return null;
  };
  const rows = hazards.map((x) => h('tr', { data: { hazardId: x.id, state: x.state } },
    h('td', {}, h('a', { href: `#/lift/${encodeURIComponent(x.liftId)}` }, x.liftId)), h('td', {}, h('b', {}, t(`cat.${x.category}`)), h('br'), x.description, x.contact ? ` · ☎ ${x.contact}` : ''),
    h('td', {}, t(`hz.src.${x.source}`), x.reportedBy ? ` (${x.reportedBy})` : ''), h('td', {}, new Date(x.openedAt).toLocaleString(getLang(), { timeZone: timeZone() })), h('td', { class: 'state' }, t(`hz.st.${x.state}`)),
    h('td', { class: 'photo' }, x.rectificationNote ?? '', x.photo ? h('img', { src: `/api/hazards/${x.id}/photo`, alt: t('hz.photo') }) : null),
    h('td', {}, actions(x))));
  const cols = ['hz.lift', 'hz.what', 'hz.source', 'hz.opened', 'hz.state', 'hz.fix', 'col.actions'];
  return [h('section', {}, h('h2', {}, t('hz.title')),
    h('div', { class: 'scroll' }, h('table', { id: 'hazards' }, h('thead', {}, h('tr', {}, ...cols.map((k) => h('th', {}, t(k))))), h('tbody', {}, ...rows))),
    hazards.length ? null : h('p', { class: 'empty', id: 'no-hazards' }, t('hz.none'))),
  addForm(h, api, [...lifts.keys()].sort(), reload)];
}

function addForm(h, api, liftIds, reload) {
  const error = h('p', { class: 'error' });
  const form = h('form', { id: 'hazard-form', class: 'card admin-form' }, h('h3', {}, t('hz.add')),
    h('label', {}, t('hz.lift'), h('select', { name: 'liftId' }, ...liftIds.map((id) => h('option', { value: id }, id)))),
    h('label', {}, t('r.category'), h('select', { name: 'category' }, ...CATEGORIES.map((c) => h('option', { value: c }, t(`cat.${c}`))))),
    h('label', {}, t('hz.what'), h('textarea', { name: 'description', required: '', maxlength: '2000', rows: '3' })),
    h('button', { type: 'submit' }, t('hz.save')), error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('/api/hazards', { method: 'POST', body: JSON.stringify(Object.fromEntries(new FormData(form))) });
      await reload();
    } catch (err) {
      error.textContent = String(err.message ?? err);
    }
  });
  return form;
}
