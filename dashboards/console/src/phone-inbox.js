/* global HashChangeEvent */
// The crew's inbox on a phone: no lift table, one card an open alert with the lift's name and
// address, the local time it opened, and two big buttons: call (the person on call for the lift,
// by the SMS number of their profile) and navigate (a map from the lift's coordinates or address).
import { addWords, alertName, getLang, t } from './i18n.js';
import { ADMIN_WORDS } from './admin-words.js';
import { mapLink } from './map-link.js';
import { timeZone } from './zone.js';

addWords(ADMIN_WORDS);

const PHONE = '(max-width: 640px)';
export const isPhone = () => window.matchMedia(PHONE).matches;
// Turning the phone, or a narrower window: the inbox is drawn again in the other layout.
window.matchMedia(PHONE).addEventListener('change', () => window.dispatchEvent(new HashChangeEvent('hashchange')));

/** The lift's registry entry set by admins first, then what its terminal reports. */
const profile = (lift) => ({ ...(lift?.registry ?? {}), ...Object.fromEntries(Object.entries(lift?.registered ?? {}).filter(([, v]) => v !== null && v !== undefined)) });

/** The number to call for a lift: its site contact if the registry has one, else the first person on call with an SMS number. */
const onCall = new Map(); // liftId → { at, phone, name } | 'loading'
function phoneFor(liftId, p, api, redraw) {
  if (p.contactPhone) return { phone: p.contactPhone, name: p.contactName ?? '' };
  const known = onCall.get(liftId);
  if (known && known !== 'loading' && Date.now() - known.at < 60_000) return known;
  if (known !== 'loading') {
    onCall.set(liftId, 'loading');
    api(`/api/on-call/${encodeURIComponent(liftId)}`).then(({ people }) => {
      const person = people.find((x) => x.channels.some((c) => c.kind === 'sms'));
      onCall.set(liftId, { at: Date.now(), phone: person?.channels.find((c) => c.kind === 'sms').to ?? null, name: person?.name ?? '' });
      redraw();
    }).catch(() => onCall.set(liftId, { at: Date.now(), phone: null, name: '' }));
  }
  return known && known !== 'loading' ? known : { phone: null, name: '' };
}

const localTime = (ms) => new Date(ms).toLocaleString(getLang(), { dateStyle: 'medium', timeStyle: 'short', timeZone: timeZone() });

/**
 * The inbox as cards. `ctx`: h, api, lifts (Map), canAct, buttons(a, noteInput) → the action
 * buttons the table has, redraw().
 */
export function phoneInbox(rows, ctx) {
  const { h } = ctx;
  const cards = rows.map((a) => {
    const p = profile(ctx.lifts.get(a.liftId));
    const who = phoneFor(a.liftId, p, ctx.api, ctx.redraw);
    const map = mapLink(p);
    const note = h('input', { class: 'note', placeholder: t('note'), maxlength: '2000' });
    return h('li', { class: `alert-card sev-${a.severity}`, data: { alertId: a.id, state: a.state } },
      h('h3', {}, `${a.severity} · ${alertName(a)}`),
      h('p', { class: 'where' }, h('a', { href: `#/lift/${encodeURIComponent(a.liftId)}` }, p.name ? `${p.name} (${a.liftId})` : a.liftId)),
      h('p', { class: 'where address' }, p.address ?? t('ph.noAddress')),
      h('p', { class: 'when' }, `${t('ph.opened')} ${localTime(a.openedAt)} · ${t(`state.${a.state}`)}`),
      h('div', { class: 'go' },
        h('a', { class: 'call', href: who.phone ? `tel:${who.phone.replace(/[^0-9+]/g, '')}` : '#', 'aria-disabled': String(!who.phone) }, who.phone ? `${t('ph.call')} ${who.name}` : t('ph.noPhone')),
        h('a', { class: 'navigate', href: map ?? '#', target: '_blank', rel: 'noopener', 'aria-disabled': String(!map) }, map ? t('ph.navigate') : t('ph.noPlace'))),
      ctx.canAct ? h('div', { class: 'acts' }, note, ...ctx.buttons(a, note)) : null);
  });
  return [h('section', {}, h('h2', {}, t('inbox.title')), rows.length ? h('ul', { id: 'alert-cards', class: 'alert-cards' }, ...cards) : h('p', { id: 'no-alerts', class: 'empty' }, t('inbox.none')))];
}
