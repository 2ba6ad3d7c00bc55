/* global FormData */
// The public page of a lift that the QR code in its car opens (#/r/<liftId>, no login): its
// registration, last maintenance and inspection, health grade, what to do when trapped, and a form
// to report a problem. And the QR sign an admin prints for each lift (#/qr/<liftId>).
import QRCode from 'qrcode';
import { addWords, getLang, t, translate } from './i18n.js';

addWords({
  'zh-CN': {
    'r.title': '电梯安全信息', 'r.reg': '注册代码', 'r.name': '电梯', 'r.address': '地址', 'r.lastMaint': '最近维保', 'r.lastInsp': '最近定期检验', 'r.grade': '健康等级',
    'r.none': '暂无记录', 'r.noGrade': '尚未评定', 'r.open': '处理中的隐患', 'r.trapped': '被困在轿厢内？请按轿厢内的警铃按钮，或拨打电梯应急救援电话', 'r.report': '报告问题',
    'r.category': '问题类型', 'r.description': '问题描述（楼层、现象、从何时开始）', 'r.contact': '联系电话（可不填，仅维保和监管人员可见）', 'r.send': '提交',
    'r.sent': '已收到您的报告，编号', 'r.sentAfter': '。维保单位会处理，处理结果由监管部门核查。', 'r.unknown': '找不到这部电梯。请核对二维码，或拨打轿厢内使用标志上的电话。',
    'cat.stuck': '停梯或困人', 'cat.doors': '门夹人、开关门异常', 'cat.noise': '异响或晃动', 'cat.levelling': '停靠不平层', 'cat.damage': '部件损坏、进水、起火', 'cat.alarm': '警铃或对讲不能用', 'cat.lighting': '轿厢照明不亮', 'cat.other': '其他',
    'qr.title': '扫码查看电梯安全信息、报告问题', 'qr.print': '打印', 'qr.hint': '打印后张贴在轿厢内醒目位置。扫码无需登录。',
  },
  en: {
    'r.title': 'Lift safety information', 'r.reg': 'Registration code', 'r.name': 'Lift', 'r.address': 'Address', 'r.lastMaint': 'Last maintenance', 'r.lastInsp': 'Last periodic inspection', 'r.grade': 'Health grade',
    'r.none': 'no record yet', 'r.noGrade': 'not graded yet', 'r.open': 'Problems being handled', 'r.trapped': 'Trapped in the car? Press the alarm button in the car, or call the lift emergency line', 'r.report': 'Report a problem',
    'r.category': 'What is wrong', 'r.description': 'Describe it (floor, what happens, since when)', 'r.contact': 'Phone to call you back (optional; only crews and inspectors see it)', 'r.send': 'Send',
    'r.sent': 'Thank you: your report is number', 'r.sentAfter': '. The maintenance unit will fix it, and the regulator checks the fix.', 'r.unknown': 'This lift is not known. Check the QR code, or call the number on the usage sign in the car.',
    'cat.stuck': 'Stops or traps people', 'cat.doors': 'Doors hit people or do not open/close', 'cat.noise': 'Noise or shaking', 'cat.levelling': 'Stops above or below the floor', 'cat.damage': 'Broken parts, water, fire', 'cat.alarm': 'Alarm or intercom does not work', 'cat.lighting': 'The car is dark', 'cat.other': 'Other',
    'qr.title': 'Scan for this lift\'s safety information and to report a problem', 'qr.print': 'Print', 'qr.hint': 'Print and post it where riders see it in the car. Scanning needs no login.',
  },
});

export const CATEGORIES = ['stuck', 'doors', 'noise', 'levelling', 'damage', 'alarm', 'lighting', 'other'];
const day = (ms) => new Date(ms).toLocaleDateString(getLang());
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
      result.textContent = answer.error?.message ?? res.statusText;
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
