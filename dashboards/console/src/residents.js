/* global FormData */
// The public page of a lift that the QR code in its car opens (#/r/<liftId>, no login): its
// registration, last maintenance and inspection, health grade, what to do when trapped, and a form
// to report a problem. And the QR sign an admin prints for each lift (#/qr/<liftId>).
import QRCode from 'qrcode';
import { addWords, errorText, getLang, t, translate } from './i18n.js';
import { ADMIN_WORDS } from './admin-words.js';
import { timeZone } from './zone.js';

addWords(ADMIN_WORDS);

export const CATEGORIES = ['stuck', 'doors', 'noise', 'levelling', 'damage', 'alarm', 'lighting', 'other'];
const day = (ms) => new Date(ms).toLocaleDateString(getLang(), { timeZone: timeZone() });
/** The address a QR code carries: the public page of the lift on this console. */
export const publicUrl = (liftId) => `${location.origin}/#/r/${encodeURIComponent(liftId)}`;

/** Shows the public page when the address is one (#/r/<liftId>) and returns true; false otherwise. */
export function residentPage(h) {
  const m = /^#\/r\/([^/?]+)/.exec(location.hash);
  if (!m) return false;
  const liftId = decodeURIComponent(m[1]);
  void render(h, liftId);
  return true;
}

async function render(h, liftId) {
  const view = document.querySelector('#view');
  document.body.dataset.page = 'resident';
  const res = await fetch(`/api/public/lifts/${encodeURIComponent(liftId)}`);
  if (!res.ok) {
    view.replaceChildren(h('section', { class: 'resident card' }, h('h2', { 'data-i18n': 'r.title' }), h('p', { class: 'error', id: 'resident-unknown', 'data-i18n': 'r.unknown' })));
    return translate(view);
  }
  const lift = await res.json();
  const row = (key, value, id) => [h('dt', { 'data-i18n': key }), h('dd', { id }, value)];
  const none = () => h('span', { 'data-i18n': 'r.none' });
  const inspection = lift.lastInspection ? `${lift.lastInspection.date} · ${lift.lastInspection.result}` : none();
  view.replaceChildren(h('section', { class: 'resident' },
    h('h2', { 'data-i18n': 'r.title' }),
    h('p', { class: 'trapped' }, h('span', { 'data-i18n': 'r.trapped' }), ' ', h('a', { href: `tel:${lift.rescuePhone}`, id: 'rescue-phone' }, lift.rescuePhone)),
    h('dl', { class: 'card', id: 'lift-facts' },
      ...row('r.name', lift.name ? `${lift.name} (${lift.liftId})` : lift.liftId, 'r-name'), ...row('r.address', lift.address ?? none(), 'r-address'),
      ...row('r.reg', lift.registrationCode ?? none(), 'r-reg'), ...row('r.lastMaint', lift.lastMaintenanceAt ? day(lift.lastMaintenanceAt) : none(), 'r-maint'),
      ...row('r.lastInsp', inspection, 'r-insp'), ...row('r.grade', lift.grade ?? h('span', { 'data-i18n': 'r.noGrade' }), 'r-grade'),
      ...row('r.open', String(lift.openHazards), 'r-open')),
    reportForm(h, lift.liftId)));
  translate(view);
}

function reportForm(h, liftId) {
  const result = h('p', { id: 'report-result', role: 'status' });
  const options = CATEGORIES.map((c) => h('option', { value: c, 'data-i18n': `cat.${c}` }));
  const form = h('form', { id: 'report', class: 'card' }, h('h3', { 'data-i18n': 'r.report' }),
    h('label', {}, h('span', { 'data-i18n': 'r.category' }), h('select', { name: 'category', required: '' }, ...options)),
    h('label', {}, h('span', { 'data-i18n': 'r.description' }), h('textarea', { name: 'description', required: '', maxlength: '1000', rows: '4' })),
    h('label', {}, h('span', { 'data-i18n': 'r.contact' }), h('input', { name: 'contact', type: 'tel', inputmode: 'tel', maxlength: '40' })),
    h('button', { type: 'submit', 'data-i18n': 'r.send' }), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    const body = { category: v.category, description: v.description, ...(v.contact.trim() ? { contact: v.contact.trim() } : {}) };
    const res = await fetch(`/api/public/lifts/${encodeURIComponent(liftId)}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) {
      result.className = 'error';
      result.textContent = reportError(res, answer.error);
      return;
    }
    result.className = 'done';
    result.textContent = `${t('r.sent')} ${answer.id}${t('r.sentAfter')}`;
    const open = document.querySelector('#r-open');
    if (open) open.textContent = String(Number(open.textContent) + 1);
    form.reset();
  });
  return form;
}

/** What went wrong with a report, in the reader's language: the field at fault, or how long to wait; the API's own words otherwise. */
function reportError(res, error) {
  if (res.status === 429) return `${t('r.err.busy')} ${Math.ceil(Number(res.headers.get('retry-after') ?? 60) / 60)}`;
  const field = ['contact', 'description', 'category'].find((f) => res.status === 400 && error?.message?.includes(`/${f}`));
  return field ? t(`r.err.${field}`) : `${t('r.err.other')} ${errorText(error, res.statusText)}`;
}

/** The sign to print for a lift: its QR code (the public page's address), name and registration code, in both languages. */
export async function qrPage(liftId, { h, lifts }) {
  const lift = lifts.get(liftId);
  const url = publicUrl(liftId);
  const image = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
  const name = lift?.registered?.name ?? lift?.registry?.name ?? '';
  const code = lift?.registered?.registrationCode ?? lift?.registry?.registrationCode ?? '';
  return [h('div', { class: 'qr-sign', id: 'qr-sign', data: { liftId } },
    h('h2', {}, '扫码查看电梯安全信息、报告问题'), h('p', {}, 'Scan for this lift\'s safety information and to report a problem'),
    h('img', { id: 'qr-image', src: image, alt: url }), h('p', {}, h('b', {}, name ? `${name} · ${liftId}` : liftId)), code ? h('p', {}, `注册代码 / Registration code: ${code}`) : null,
    h('p', {}, '被困请按警铃或拨打 96333 · Trapped? Press the alarm or call 96333'), h('p', { class: 'url' }, url)),
  h('p', { class: 'no-print hint' }, t('qr.hint')), h('button', { class: 'no-print', id: 'qr-print', onclick: () => window.print() }, t('qr.print'))];
}
