// What the crew found when it resolves an alert (a small dialog: outcome, component, part replaced),
// and on the regulator console the precision those findings give each model version and rule
// (docs/findings.md). The dialog lives on <body>, so the live inbox can re-render beneath it.
import { t } from './i18n.js';
import './findings.css';

/** The components a crew can name, as in packages/contract (FINDING_COMPONENTS; the browser test keeps them in step). */
export const COMPONENTS = ['doorOperator', 'doorLock', 'guides', 'machine', 'brake', 'ropes', 'traction', 'levelling', 'motor', 'safetyChain', 'power', 'controller', 'alarmSystem', 'terminal', 'other'];
const OUTCOMES = ['confirmed', 'no-fault-found', 'false-alarm'];

/** The finding the form holds, and the action it goes with; a message when it is not complete. */
function read(form) {
  const outcome = form.querySelector('[name=outcome]:checked')?.value;
  const component = form.querySelector('[name=component]').value;
  const part = form.querySelector('[name=part]').value.trim();
  if (!outcome) return { error: t('f.needOutcome') };
  if (outcome === 'confirmed' && !component) return { error: t('f.needComponent') };
  const finding = { outcome, ...(outcome === 'confirmed' ? { component } : {}), ...(part ? { partReplaced: part } : {}) };
  return { action: outcome === 'false-alarm' ? 'false-alarm' : 'resolve', finding };
}

/**
 * Asks for the finding of alert `a` and closes the alert with it. A P1 (a rescue) can also be closed
 * at once without one: its finding can be added later. `done` gets the alert as the server returns it.
 */
export function resolveWithFinding(a, note, { h, api, done }) {
  document.querySelector('#finding-dialog')?.remove();
  const choice = (o) => h('label', { class: 'outcome' }, h('input', { type: 'radio', name: 'outcome', value: o }), ` ${t(`f.${o}`)}`);
  const components = h('select', { name: 'component' }, h('option', { value: '' }, '–'), ...COMPONENTS.map((c) => h('option', { value: c }, t(`comp.${c}`))));
  const error = h('p', { class: 'error', id: 'finding-error' });
  const close = (body) => api(`/api/alerts/${a.id}/${body.action}`, { method: 'POST', body: JSON.stringify({ note: noteField.value, ...(body.finding ? { finding: body.finding } : {}) }) })
    .then((updated) => { dialog.close(); dialog.remove(); done(updated); }, (err) => void (error.textContent = String(err.message ?? err)));
  const noteField = h('textarea', { name: 'note', maxlength: '2000', rows: '2' });
  noteField.value = note;
  const form = h('form', { method: 'dialog', class: 'finding' },
    h('h3', {}, `${t('f.title')} · ${a.severity} ${a.code} · ${a.liftId}`),
    h('fieldset', { class: 'outcomes' }, h('legend', {}, t('f.outcome')), ...OUTCOMES.map(choice)),
    h('label', {}, h('span', {}, t('f.component')), components),
    h('label', {}, h('span', {}, t('f.part')), h('input', { name: 'part', maxlength: '200' })),
    h('label', {}, h('span', {}, t('note')), noteField),
    a.severity === 'P1' ? h('p', { class: 'hint' }, t('f.p1hint')) : null,
    error,
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'save' }, t('f.save')),
      a.severity === 'P1' ? h('button', { type: 'button', class: 'skip', onclick: () => close({ action: 'resolve' }) }, t('f.skip')) : null,
      h('button', { type: 'button', class: 'cancel', onclick: () => { dialog.close(); dialog.remove(); } }, t('f.cancel'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = read(form);
    if (body.error) return void (error.textContent = body.error);
    close(body);
  });
  const dialog = h('dialog', { id: 'finding-dialog', data: { alertId: a.id } }, form);
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

const pct = (x) => (x === null ? '–' : `${(x * 100).toFixed(0)} %`);

/** The regulator console's table of measured precision; filled when GET /api/findings/precision answers. */
export function precisionSection(h, api) {
  const body = h('tbody');
  const section = h('section', { id: 'precision' },
    h('h2', {}, t('p.title'), ' ', h('a', { href: '/api/exports/findings.csv', download: 'findings.csv' }, t('p.export')), ' ',
      h('a', { href: '/api/exports/findings.jsonl', download: 'findings.jsonl' }, 'JSONL')),
    h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ...['p.source', 'p.version', 'p.findings', 'p.confirmed', 'p.precision', 'p.interval'].map((k) => h('th', {}, t(k))))), body)));
  api('/api/findings/precision').then((r) => {
    const rows = [...r.models, ...r.rules];
    body.replaceChildren(...rows.map((x) => h('tr', { data: { model: x.modelId ?? '', code: x.code } },
      h('td', {}, x.modelId ? `${x.modelId} (${x.code})` : `${t('p.rule')} ${x.code}`), h('td', {}, x.modelVersion ?? '–'),
      h('td', {}, x.findings), h('td', {}, x.confirmed), h('td', { class: 'precision' }, pct(x.precision)),
      h('td', {}, x.low === null ? '–' : `${pct(x.low)} – ${pct(x.high)}`))));
    if (!rows.length) section.append(h('p', { class: 'empty' }, t('p.none')));
  }, (err) => section.append(h('p', { class: 'error' }, String(err.message ?? err))));
  return section;
}
