/* global FormData, FileReader */
// Hazards to closure (#/hazards): those not yet closed on the user's lifts, with who reported them;
// a crew records one and its fix (a note and a photo); a manager, an inspector or an admin checks
// the fix and closes it or sends it back. Residents report from the lift's public page.
import { addWords, getLang, t } from './i18n.js';
import { CATEGORIES } from './residents.js';

addWords({
  'zh-CN': {
    'hz.title': '安全隐患（未关闭）', 'hz.none': '没有未关闭的隐患。', 'hz.lift': '电梯', 'hz.what': '隐患', 'hz.source': '来源', 'hz.opened': '报告时间', 'hz.state': '状态', 'hz.fix': '整改',
    'hz.src.resident': '乘客', 'hz.src.crew': '维保', 'hz.src.inspector': '检查人员', 'hz.src.useUnit': '使用单位',
    'hz.st.open': '待整改', 'hz.st.rectified': '已整改，待核查', 'hz.st.closed': '已关闭',
    'hz.note': '整改说明', 'hz.photo': '整改照片', 'hz.rectify': '提交整改', 'hz.accept': '核查通过，关闭', 'hz.reject': '未整改到位，退回', 'hz.add': '登记隐患', 'hz.save': '登记',
    'hz.needPhoto': '请附上整改后的照片。',
  },
  en: {
    'hz.title': 'Hazards not yet closed', 'hz.none': 'No hazard is open.', 'hz.lift': 'Lift', 'hz.what': 'Hazard', 'hz.source': 'Reported by', 'hz.opened': 'Reported', 'hz.state': 'State', 'hz.fix': 'Fix',
    'hz.src.resident': 'resident', 'hz.src.crew': 'crew', 'hz.src.inspector': 'inspector', 'hz.src.useUnit': 'use unit',
    'hz.st.open': 'to fix', 'hz.st.rectified': 'fixed, to check', 'hz.st.closed': 'closed',
    'hz.note': 'What was done', 'hz.photo': 'Photo of the fix', 'hz.rectify': 'Record the fix', 'hz.accept': 'Fix checked: close', 'hz.reject': 'Not fixed: send back', 'hz.add': 'Record a hazard', 'hz.save': 'Record',
    'hz.needPhoto': 'Attach a photo of the fix.',
  },
});

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
    h('td', {}, t(`hz.src.${x.source}`), x.reportedBy ? ` (${x.reportedBy})` : ''), h('td', {}, new Date(x.openedAt).toLocaleString(getLang())), h('td', { class: 'state' }, t(`hz.st.${x.state}`)),
    h('td', { class: 'photo' }, x.rectificationNote ?? '', x.photo ? h('img', { src: `/api/hazards/${x.id}/photo`, alt: t('hz.photo') }) : null),
    h('td', {}, actions(x))));
  const cols = ['hz.lift', 'hz.what', 'hz.source', 'hz.opened', 'hz.state', 'hz.fix', 'col.actions'];
  return [h('section', {}, h('h2', {}, t('hz.title')),
    h('div', { class: 'scroll' }, h('table', { id: 'hazards' }, h('thead', {}, h('tr', {}, ...cols.map((k) => h('th', {}, t(k))))), h('tbody', {}, ...rows))),
    hazards.length ? null : h('p', { class: 'empty', id: 'no-hazards' }, t('hz.none'))),
  me.role === 'useUnit' ? null : addForm(h, api, [...lifts.keys()].sort(), reload)];
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
