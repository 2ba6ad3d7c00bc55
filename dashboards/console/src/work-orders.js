// The maintenance screens: a crew's work orders (its own first), the unit's open ones, a new one for a
// lift of the plan; one work order: check-in (its start), the checklist item by item, photos, the
// finding of a repair, sign-off at the check-out (its end). An alert's "make a work order" button.
import { COMPONENTS } from './findings.js';
import { errorText, getLang, t } from './i18n.js';
import { localTime, thenReload, w } from './registry-words.js';

const RESULTS = ['ok', 'adjusted', 'replaced', 'fault', 'notApplicable'];
const OUTCOMES = ['confirmed', 'no-fault-found', 'false-alarm'];
const liftLink = (h, liftId) => h('a', { href: `#/registry/${encodeURIComponent(liftId)}` }, liftId);

function ordersTable(h, id, orders) {
  const row = (o) => h('tr', { data: { orderId: o.id }, class: o.dueAt < Date.now() && o.state !== 'completed' ? 'due' : '' },
    h('td', {}, h('a', { href: `#/work-order/${o.id}` }, `#${o.id}`)), h('td', {}, liftLink(h, o.liftId)),
    h('td', {}, o.kind === 'repair' && o.alertId ? h('a', { href: `#/alert/${o.alertId}` }, w('kind.repair')) : w(`kind.${o.kind}`)),
    h('td', {}, o.class ? w(`cls.${o.class}`) : ''), h('td', {}, w(`ws.${o.state}`)), h('td', {}, localTime(o.dueAt)), h('td', {}, o.assignee ?? '–'));
  return h('div', { class: 'scroll' }, h('table', { id, class: 'orders' },
    h('thead', {}, h('tr', {}, ...['#', 'r.liftId', 'w.kind', 'w.class', 'w.state', 'w.dueAt', 'w.assignee'].map((k) => h('th', {}, k === '#' ? '#' : w(k))))), h('tbody', {}, ...orders.map(row))));
}

function newOrderForm(h, api, liftId) {
  const status = h('p', {});
  const form = h('form', { id: 'new-order', class: 'inline' }, h('input', { name: 'liftId', placeholder: w('r.liftId'), required: '', value: liftId ?? '' }),
    h('input', { name: 'assignee', placeholder: w('w.assignee') }), h('button', { type: 'submit' }, w('w.create')), status);
  form.addEventListener('submit', thenReload(status, async () => {
    const f = form.elements;
    const order = await api('/api/work-orders', { method: 'POST', body: JSON.stringify({ liftId: f.liftId.value.trim(), ...(f.assignee.value.trim() ? { assignee: f.assignee.value.trim() } : {}) }) });
    location.hash = `#/work-order/${order.id}`;
  }));
  return h('section', { class: 'card' }, h('h3', {}, w('w.new')), h('p', { class: 'hint' }, w('w.newHint')), form);
}

/** `#/work-orders[?lift=<id>]`: mine, then the others open; managers make one for a lift of the plan. */
export async function workOrdersPage({ h, api, me }) {
  const lift = new URLSearchParams(location.hash.split('?')[1] ?? '').get('lift');
  const [{ workOrders }, overdue] = await Promise.all([
    api(`/api/work-orders?limit=500${lift ? `&liftId=${encodeURIComponent(lift)}` : '&state=active'}`), api('/api/maintenance/overdue?limit=1').catch(() => ({ count: 0 }))]);
  const mine = workOrders.filter((o) => o.assignee === me.id);
  const others = workOrders.filter((o) => o.assignee !== me.id);
  const manage = me.role === 'admin' || me.role === 'manager';
  return [
    h('h2', {}, w('w.title'), lift ? ` · ${lift}` : '', ' ', h('a', { href: '#/overdue', id: 'overdue-link' }, `${w('o.maintenance')} (${overdue.count})`)),
    mine.length ? h('section', {}, h('h3', {}, w('w.mine')), ordersTable(h, 'my-orders', mine)) : null,
    h('section', {}, h('h3', {}, lift ? w('w.ofLift') : w('w.active')), others.length ? ordersTable(h, 'work-orders', others) : h('p', { class: 'empty' }, w('w.none'))),
    manage ? newOrderForm(h, api, lift) : null,
  ].filter(Boolean);
}

/** The checklist as rows of selects and notes (editable while the work is in progress). */
function checklist(order, { h, editable }) {
  return h('table', { id: 'checklist' }, h('thead', {}, h('tr', {}, ...['w.item', 'w.result', 'w.note'].map((k) => h('th', {}, w(k))))),
    h('tbody', {}, ...order.checklist.map((e) => h('tr', { data: { itemId: e.itemId }, class: e.result ? `done ${e.result}` : '' },
      h('td', {}, h('b', {}, e.itemId), ' ', getLang() === 'en' ? e.en : e.zh),
      h('td', {}, h('select', { name: 'result', 'aria-label': w('w.result'), ...(editable ? {} : { disabled: '' }) }, h('option', { value: '' }, '–'),
        ...RESULTS.map((r) => h('option', { value: r, ...(e.result === r ? { selected: '' } : {}) }, w(`cr.${r}`))))),
      h('td', {}, h('input', { name: 'note', value: e.note, 'aria-label': w('w.note'), ...(editable ? {} : { readonly: '' }) }))))));
}

const itemsOf = (table) => [...table.querySelectorAll('tbody tr')].map((tr) => ({
  itemId: tr.dataset.itemId, result: tr.querySelector('[name=result]').value || null, note: tr.querySelector('[name=note]').value,
}));

/** What a repair found (the alert's finding): outcome and component. */
function findingFields(h) {
  const outcome = h('select', { name: 'outcome', id: 'finding-outcome' }, h('option', { value: '' }, '–'), ...OUTCOMES.map((o) => h('option', { value: o }, t(`f.${o}`))));
  const component = h('select', { name: 'component', id: 'finding-component' }, h('option', { value: '' }, '–'), ...COMPONENTS.map((c) => h('option', { value: c }, t(`comp.${c}`))));
  return { node: h('label', { class: 'finding' }, h('span', {}, w('w.finding')), outcome, component),
    value: () => (outcome.value ? { finding: { outcome: outcome.value, ...(component.value ? { component: component.value } : {}) } } : {}) };
}

function photoSection(order, { h, editable, status }) {
  const photo = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', capture: 'environment', id: 'photo-file' });
  const upload = thenReload(status, async () => {
    const f = photo.files[0];
    if (!f) return;
    const res = await fetch(`/api/work-orders/${order.id}/photos`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': f.type }, body: f });
    if (!res.ok) throw new Error(errorText((await res.json()).error, res.statusText));
  });
  const src = (p) => `/api/work-orders/${order.id}/photos/${p.id}`;
  return h('section', {}, h('h3', {}, `${w('w.photos')} (${order.photos.length})`),
    h('div', { class: 'photos' }, ...order.photos.map((p) => h('a', { href: src(p), target: '_blank' }, h('img', { src: src(p), alt: p.itemId ?? w('w.photo') })))),
    editable ? h('div', { class: 'inline' }, photo, h('button', { id: 'photo-upload', onclick: upload }, w('w.photo'))) : null);
}

/** `#/work-order/<id>`: the work order, and the step it is at. */
export async function workOrderPage(id, { h, api }) {
  const order = await api(`/api/work-orders/${id}`);
  const entry = await api(`/api/lift-registry/${encodeURIComponent(order.liftId)}`).then((v) => v.registry).catch(() => null);
  const status = h('p', { id: 'order-status' });
  const editable = order.state === 'open' || order.state === 'inProgress';
  const list = checklist(order, { h, editable: order.state === 'inProgress' });
  const finding = order.kind === 'repair' && order.state === 'inProgress' ? findingFields(h) : null;
  const post = (action, body) => api(`/api/work-orders/${id}/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const allOk = () => {
    for (const s of list.querySelectorAll('select[name=result]')) if (!s.value) s.value = 'ok';
    status.textContent = '';
  };
  const buttons = order.state === 'open' ? [h('button', { id: 'order-start', class: 'sign', onclick: thenReload(status, () => post('start', {})) }, w('w.start'))]
    : order.state === 'inProgress' ? [
      order.checklist.length ? h('button', { id: 'order-all-ok', type: 'button', onclick: allOk }, w('w.allOk')) : null,
      order.checklist.length ? h('button', { id: 'order-save', onclick: thenReload(status, () => api(`/api/work-orders/${id}/checklist`, { method: 'PUT', body: JSON.stringify({ items: itemsOf(list) }) })) }, w('w.saveList')) : null,
      h('button', { id: 'order-complete', class: 'sign', onclick: thenReload(status, () => post('complete', { items: itemsOf(list).filter((i) => i.result !== null), ...finding?.value() })) }, w('w.complete'))]
      : [];
  const fact = (key, value, attrs = {}) => [h('dt', {}, w(key)), h('dd', attrs, value)];
  return [
    h('h2', {}, `${w(`kind.${order.kind}`)} #${order.id} · `, liftLink(h, order.liftId), order.class ? ` · ${w(`cls.${order.class}`)}` : ''),
    h('dl', { class: 'order-facts' }, ...fact('w.state', w(`ws.${order.state}`), { id: 'order-state' }),
      ...(entry?.name || entry?.address ? fact('r.address', [entry.name, entry.address].filter(Boolean).join(' · ')) : []),
      ...fact('w.dueAt', localTime(order.dueAt)), ...fact('w.assignee', order.assignee ?? '–'),
      ...fact('w.started', localTime(order.startedAt)), ...fact('w.ended', localTime(order.endedAt)), ...fact('w.signed', order.signedBy ?? '–', { id: 'order-signed' }),
      ...(order.alertId ? fact('w.alert', h('a', { href: `#/alert/${order.alertId}` }, `#${order.alertId}`)) : []),
      ...(order.finding ? fact('w.finding', `${t(`f.${order.finding.outcome}`)}${order.finding.component ? ` · ${t(`comp.${order.finding.component}`)}` : ''}`) : []),
      ...(order.note ? fact('w.note', order.note) : [])),
    order.state === 'open' ? h('p', { class: 'hint' }, w('w.startHint')) : null,
    order.checklist.length ? h('div', { class: 'scroll' }, list) : null,
    finding?.node ?? null,
    h('div', { class: 'buttons' }, ...buttons.filter(Boolean)), status,
    photoSection(order, { h, editable, status }),
  ].filter(Boolean);
}

/** On an alert's page: makes the alert's repair work order (or opens the one it has) for those who act on alerts. */
export function workOrderButton(alert, { h, api, me }) {
  if (!['admin', 'manager', 'crew'].includes(me.role)) return null;
  const status = h('span', { class: 'error' });
  const make = async () => {
    try {
      const { workOrder } = await api(`/api/alerts/${alert.id}/work-order`, { method: 'POST', body: '{}' });
      location.hash = `#/work-order/${workOrder.id}`;
    } catch (err) {
      status.textContent = String(err.message ?? err);
    }
  };
  return h('p', {}, h('button', { id: 'make-work-order', onclick: make }, w('w.fromAlert')), ' ', status);
}
