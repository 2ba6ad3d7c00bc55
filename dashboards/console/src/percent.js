// A share shown as a percentage in the page's language. Whole percents, except near the ends: a
// share that is neither 0 nor 1 is never shown as 0 % or 100 % (a raise threshold of 0.9986 reads
// 99.8 %, not 100 %, which would say the model can never raise).

/** `v` (0–1) as "NN %" in `lang`; null or undefined as "–". */
export function percentText(v, lang) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const p = 100 * v;
  const nearEnd = (p > 0 && p < 1) || (p > 99 && p < 100);
  const shown = !nearEnd ? p : p > 99 ? Math.floor(p * 10) / 10 : Math.ceil(p * 10) / 10;
  return `${shown.toLocaleString(lang, { maximumFractionDigits: nearEnd ? 1 : 0 })} %`;
}
