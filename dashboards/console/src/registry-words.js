// The words of the registry, maintenance and statistics screens: registry-words.json holds each key
// as [Chinese, English], so no key can miss a language (dashboards/test/console-words.test.ts).
import { getLang } from './i18n.js';
import { fromZoneInput, timeZone, zoneInput } from './zone.js';
import WORDS from './registry-words.json';

/** A word of these screens in the console's language, with `{name}` filled from `vars`. */
export function w(key, vars = {}) {
  const pair = WORDS[key];
  const text = pair ? pair[getLang() === 'en' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/** A date and time in the server's time zone (zone.js). */
export const localTime = (ms) => (ms ? new Date(ms).toLocaleString(getLang(), { timeZone: timeZone(), dateStyle: 'short', timeStyle: 'short' }) : '–');
/** A day (YYYY-MM-DD) in the server's time zone. */
export const localDay = (ms) => zoneInput(ms).slice(0, 10);
/** The start (ms) of a day given as YYYY-MM-DD in the server's time zone. */
export const dayStart = (day) => fromZoneInput(`${day}T00:00`);

/** Runs `fn`, then shows the page again; an error goes into `status` as the server said it. */
export const thenReload = (status, fn) => async (e) => {
  e?.preventDefault?.();
  try {
    await fn();
    window.dispatchEvent(new window.HashChangeEvent('hashchange'));
  } catch (err) {
    status.className = 'error';
    status.textContent = String(err.message ?? err);
  }
};
