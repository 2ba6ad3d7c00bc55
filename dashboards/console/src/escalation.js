// Beside each alert of the inbox: who was notified (when, by which channel, with what outcome) and
// who is next and when, from GET /api/alerts/:id/escalation. Read when an alert appears or changes,
// and again when something is due: a delivery under way, the next step or reminder.
import { getLang, reasonText, t, word } from './i18n.js';
import { nextReadIn } from './escalation-timing.js';
import { timeZone } from './zone.js';

const clock = (ms) => new Date(ms).toLocaleTimeString(getLang(), { timeZone: timeZone() });
/** Most deliveries shown per alert (the newest); the alert page's audit has them all. */
const SHOWN = 3;

export function createEscalations(api, onChange) {
  const views = new Map(); // alert id → { updatedAt, view }
  const timers = new Map();

  function schedule(a, view) {
    clearTimeout(timers.get(a.id));
    const wait = nextReadIn(view, a.openedAt, Date.now(), a.state !== 'resolved' && a.state !== 'falseAlarm');
    if (wait !== null) timers.set(a.id, setTimeout(() => load(a, true), wait));
  }

  async function load(a, again = false) {
    if (!again && views.get(a.id)?.updatedAt === a.updatedAt) return;
    views.set(a.id, { updatedAt: a.updatedAt, view: views.get(a.id)?.view ?? null });
    try {
      const view = await api(`/api/alerts/${a.id}/escalation`);
      views.set(a.id, { updatedAt: a.updatedAt, view });
      schedule(a, view);
      onChange();
    } catch {
      views.delete(a.id); // read again on the next render
    }
  }

  /** Reads what the shown alerts need; forgets the others. */
  function track(alerts) {
    const shown = new Set(alerts.map((a) => a.id));
    for (const id of [...views.keys()]) if (!shown.has(id)) { views.delete(id); clearTimeout(timers.get(id)); timers.delete(id); }
    for (const a of alerts) void load(a);
  }

  const outcome = (d) => `${t(`out.${d.outcome}`)}${d.attempts > 1 ? ` ×${d.attempts}` : ''}${d.unknown ? `, ${d.unknown} ${t('esc.unknown')}` : ''}`;
  const people = (step) => (step.people.length ? step.people.map((p) => `${p.name} (${word('role', p.role)})`).join(', ') : t('esc.nobody'));

  /** The cell of one alert: its deliveries, newest first, then its next step (and reminder). */
  function cell(h, a) {
    const view = views.get(a.id)?.view;
    if (!view) return h('td', { class: 'escalation' }, '…');
    const list = view.notified.slice(-SHOWN).reverse().map((d) => h('li', { data: { outcome: d.outcome, recipient: d.recipientId, fallback: d.fallback ? '1' : '0' } },
      h('b', {}, d.recipientName), ` · ${d.channel} · ${clock(d.firstAt)} · `, h('span', { class: `outcome ${d.outcome}` }, outcome(d))));
    const more = view.notified.length > SHOWN ? h('li', { class: 'more' }, `+${view.notified.length - SHOWN}`) : null;
    const step = view.next ?? view.reminder;
    const next = step ? h('div', { class: 'next-step', data: { fallback: step.fallback ?? '' } },
      `${t(view.next ? 'esc.next' : 'esc.reminder')} ${clock(step.at)}: `, h('b', {}, people(step)),
      step.fallback ? h('span', { class: 'fallback' }, ` (${t(`esc.fallback.${step.fallback}`)})`) : null) : null;
    return h('td', { class: 'escalation' },
      view.notified.length ? h('ul', { class: 'notified' }, ...list, more) : h('p', { class: 'empty' }, t('esc.none')), next);
  }

  /**
   * Alerts whose P1 reached no crew and went to the admins in the console: shown above the inbox to
   * the admins (the console is their channel for it).
   */
  function notices(h, me, alerts) {
    if (me?.role !== 'admin') return null;
    const hits = alerts.filter((a) => views.get(a.id)?.view?.notified.some((d) => d.fallback && d.channel === 'console' && (d.recipientId === me.id || d.recipientId === 'admins')));
    if (!hits.length) return null;
    return h('div', { id: 'fallback-notices', class: 'card notice' }, h('b', {}, t('esc.notice')),
      h('ul', {}, ...hits.map((a) => h('li', { data: { alertId: a.id } }, h('a', { href: `#/alert/${a.id}` }, `${a.severity} ${a.liftId} ${a.code}`), ` · ${reasonText(a)}`))));
  }

  return { track, cell, notices };
}
