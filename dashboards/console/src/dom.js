// Small DOM helpers shared by the console's pages.
import { getLang } from './i18n.js';
import { percentText } from './percent.js';
import { timeZone } from './zone.js';

export const $ = (sel, root = document) => root.querySelector(sel);
export const h = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'data') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : String(c))));
  return e;
};
export const time = (ms) => (ms ? new Date(ms).toLocaleTimeString(getLang(), { timeZone: timeZone() }) : '–');
export const dateTime = (ms) => (ms ? new Date(ms).toLocaleString(getLang(), { timeZone: timeZone() }) : '–');
export const day = (ms) => new Date(ms).toLocaleDateString(getLang(), { month: 'numeric', day: 'numeric', timeZone: timeZone() });
export const dur = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
};
/** A number with at most `digits` decimals, in the page's language. */
export const num = (v, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString(getLang(), { maximumFractionDigits: digits }));
export const pct = (v) => percentText(v, getLang());
