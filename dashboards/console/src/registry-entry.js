// One lift's registry entry: the profile (admins edit it; the registration code is checked as it is
// typed), what the lift's terminal reports beside it (shown, never used), the periodic inspections
// with the next one due, and the maintenance plan (managers set it) with the visit due next.
import { dayStart, localDay, localTime, thenReload, w } from './registry-words.js';

const FIELDS = ['registrationCode', 'name', 'rescueCode', 'useUnit', 'maintenanceUnit', 'address', 'latitude', 'longitude', 'areaCode', 'type', 'ratedSpeedMps', 'ratedLoadKg', 'floors', 'installDate'];
const NUMBERS = new Set(['latitude', 'longitude', 'ratedSpeedMps', 'ratedLoadKg', 'floors']);
const TYPES = ['traction', 'hydraulic', 'escalator', 'movingWalk'];
const RESULTS = ['pass', 'passAfterRecheck', 'fail'];
const ITEM_SETS = ['traction', 'hydraulic', 'escalator'];
const path = (liftId) => encodeURIComponent(liftId);

/** Asks the server about the code as it is typed (a quarter second after the last key); the answer shows under the field. */
function checkAsTyped(input, note, liftId, api) {
  let timer;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const code = input.value.trim();
    timer = setTimeout(async () => {
      asked = code;
      const { problem } = code ? await api(`/api/lift-registry/registration-code-check?code=${encodeURIComponent(code)}&liftId=${path(liftId)}`) : { problem: null };
      if (asked !== code) return; // a newer key was typed meanwhile
      input.setCustomValidity(problem ?? '');
      note.className = problem ? 'error code-check' : 'done code-check';
      note.textContent = problem ?? (code ? w('r.codeOk') : '');
    }, 250);
  });
}

function entryForm(liftId, view, { h, api, admin }) {
  const entry = view.registry ?? {};
  const status = h('p', { id: 'entry-status' });
  const input = (f) => {
    if (f === 'type') return h('select', { name: f, ...(admin ? {} : { disabled: '' }) }, h('option', { value: '' }, '–'), ...TYPES.map((ty) => h('option', { value: ty, ...(entry.type === ty ? { selected: '' } : {}) }, w(`type.${ty}`))));
    const attrs = { name: f, value: entry[f] ?? '', ...(admin ? {} : { readonly: '' }) };
    if (f === 'installDate') attrs.type = 'date';
    if (NUMBERS.has(f)) Object.assign(attrs, { inputmode: 'decimal' });
    if (f === 'areaCode') Object.assign(attrs, { pattern: '[0-9]{6}', inputmode: 'numeric' });
    return h('input', attrs);
  };
  const reported = (f) => (f in view.reported && view.reported[f] !== null
    ? h('small', { class: 'reported' }, `${w('r.reported')}: ${f === 'type' ? w(`type.${view.reported[f]}`) : view.reported[f]}${view.differs.includes(f) ? ` · ${w('r.differs')}` : ''}`) : null);
  const codeNote = h('small', { class: 'code-check', id: 'code-check' });
  const form = h('form', { class: 'entry card', id: 'entry' }, ...FIELDS.map((f) => h('label', { class: view.differs.includes(f) ? 'differs' : '', data: { field: f } },
    h('span', {}, w(`r.${f}`)), input(f), reported(f), f === 'registrationCode' ? codeNote : null)),
  admin ? h('div', { class: 'buttons' }, h('button', { type: 'submit' }, w('r.save'))) : null, status);
  if (admin) checkAsTyped(form.elements.registrationCode, codeNote, liftId, api);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = Object.fromEntries(FIELDS.map((f) => {
      const v = form.elements[f].value.trim();
      return [f, v === '' ? null : NUMBERS.has(f) ? Number(v) : v];
    }).filter(([f, v]) => v !== (entry[f] ?? null)));
    try {
      await api(`/api/lift-registry/${path(liftId)}`, { method: 'PUT', body: JSON.stringify(body) });
      status.className = 'done';
      status.textContent = w('r.saved');
    } catch (err) {
      status.className = 'error';
      status.textContent = String(err.message ?? err);
    }
  });
  return form;
}

function inspectionSection(liftId, inspections, { h, api, admin }) {
  const today = localDay(Date.now());
  const rows = inspections.map((i) => h('tr', {}, h('td', {}, i.inspectedOn), h('td', { class: `result ${i.result}` }, w(`res.${i.result}`)),
    h('td', { class: i === inspections[0] && i.nextDue < today ? 'late' : '' }, i.nextDue), h('td', {}, i.reportNo ?? '')));
  const status = h('p', {});
  const form = h('form', { id: 'inspection', class: 'inline' },
    h('label', {}, h('span', {}, w('r.inspectedOn')), h('input', { name: 'inspectedOn', type: 'date', required: '' })),
    h('select', { name: 'result', 'aria-label': w('r.result.col') }, ...RESULTS.map((r) => h('option', { value: r }, w(`res.${r}`)))),
    h('label', {}, h('span', {}, w('r.nextDue')), h('input', { name: 'nextDue', type: 'date', required: '' })),
    h('input', { name: 'reportNo', placeholder: w('r.reportNo') }), h('button', { type: 'submit' }, w('r.addInspection')), status);
  form.addEventListener('submit', thenReload(status, () => {
    const f = form.elements;
    return api(`/api/lift-registry/${path(liftId)}/inspections`, { method: 'POST', body: JSON.stringify({ inspectedOn: f.inspectedOn.value, result: f.result.value, nextDue: f.nextDue.value, ...(f.reportNo.value ? { reportNo: f.reportNo.value } : {}) }) });
  }));
  return h('section', { id: 'inspections-section' }, h('h3', {}, w('r.inspections')),
    inspections.length ? h('div', { class: 'scroll' }, h('table', { id: 'inspections' }, h('thead', {}, h('tr', {}, ...['r.inspectedOn', 'r.result.col', 'r.nextDue', 'r.reportNo'].map((k) => h('th', {}, w(k))))), h('tbody', {}, ...rows)))
      : h('p', { class: 'empty' }, w('r.noInspections')),
    admin ? form : null);
}

function planSection(liftId, plan, { h, api, manage }) {
  const status = h('p', {});
  const form = h('form', { id: 'plan', class: 'inline' },
    h('label', {}, h('span', {}, w('m.startsOn')), h('input', { name: 'startsOn', type: 'date', required: '', value: plan ? localDay(plan.startsAt) : localDay(Date.now()) })),
    h('label', {}, h('span', {}, w('m.cycle')), h('input', { name: 'cycleDays', type: 'number', min: '1', max: '90', value: plan?.cycleDays ?? 15 })),
    h('select', { name: 'itemSet', 'aria-label': w('m.itemSet') }, h('option', { value: '' }, w('m.itemSetAuto')), ...ITEM_SETS.map((s) => h('option', { value: s, ...(plan?.itemSet === s ? { selected: '' } : {}) }, w(`set.${s}`)))),
    h('button', { type: 'submit' }, w('m.save')), status);
  form.addEventListener('submit', thenReload(status, () => {
    const f = form.elements;
    return api(`/api/maintenance-plans/${path(liftId)}`, { method: 'PUT', body: JSON.stringify({ startsAt: dayStart(f.startsOn.value), cycleDays: Number(f.cycleDays.value), ...(f.itemSet.value ? { itemSet: f.itemSet.value } : {}) }) });
  }));
  const facts = plan ? h('dl', { class: 'order-facts', id: 'plan-facts' },
    h('dt', {}, w('m.cycle')), h('dd', {}, w('m.days', { n: plan.cycleDays })), h('dt', {}, w('m.itemSet')), h('dd', {}, w(`set.${plan.itemSet}`)),
    h('dt', {}, w('m.nextDue')), h('dd', { class: plan.nextDueAt < Date.now() ? 'late' : '' }, `${localTime(plan.nextDueAt)} · ${w(`cls.${plan.nextClass}`)}`))
    : h('p', { class: 'empty' }, w('m.none'));
  return h('section', { id: 'plan-section' }, h('h3', {}, w('m.title'), ' ', h('a', { href: `#/work-orders?lift=${path(liftId)}` }, w('w.title'))), facts, manage ? form : null);
}

/** `#/registry/<liftId>`: the entry beside what the terminal reports, the inspections and the maintenance plan. */
export async function registryEntryPage(liftId, { h, api, me }) {
  const [view, { inspections }, plan] = await Promise.all([
    api(`/api/lift-registry/${path(liftId)}`), api(`/api/lift-registry/${path(liftId)}/inspections`), api(`/api/maintenance-plans/${path(liftId)}`).catch(() => null)]);
  const admin = me.role === 'admin';
  const manage = admin || me.role === 'manager';
  return [
    h('h2', {}, h('a', { href: '#/registry' }, w('r.title')), ` · ${liftId}`, view.registry?.name ? ` · ${view.registry.name}` : '', ' ', h('a', { href: `#/lift/${path(liftId)}` }, w('r.live'))),
    view.registry ? null : h('p', { class: 'hint', id: 'entry-new' }, admin ? w('r.newEntry') : w('r.noEntry')),
    entryForm(liftId, view, { h, api, admin }),
    inspectionSection(liftId, inspections, { h, api, admin }),
    planSection(liftId, plan, { h, api, manage }),
  ].filter(Boolean);
}
