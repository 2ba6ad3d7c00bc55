import { FAULT_CODES } from './codes.js';
import { ERROR_CATALOG, ERROR_CODES } from './errors.js';

const cell = (v: readonly (string | number)[] | string | undefined) => (Array.isArray(v) ? (v.length ? v.join(', ') : '–') : v || '–');

/** docs/fault-codes.md, rendered from the code table so the two cannot drift (a test compares them). */
export function renderFaultCodesMarkdown(): string {
  const lines = [
    '# Fault and event codes',
    '',
    'Generated from `packages/contract/src/codes.ts` by `npm run docs`; a test fails when this file and the table differ.',
    'Sources and confidence: `../shared/domain/elevator-domain.md` §1.2 and §6b. GB/T 24476-2017 and 15-fault numbers',
    'come from public implementations [I]; EN 627 items from the 2009 minimum list [S]. Vendor codes: 101–109',
    'entrapment variants, 209/210 brake-force test, 211/212 levelling photo-switch.',
    '',
    '| Code | Severity | Kind | 中文 | English | GB/T 24476-2017 | 15-fault | EN 627 | Vendor | Detection |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of FAULT_CODES) {
    const sev = c.severityWithPassengers ? `${c.severity} (${c.severityWithPassengers} with passengers)` : c.severity;
    lines.push(`| ${c.code} | ${sev} | ${c.kind} | ${c.nameZh} | ${c.nameEn} | ${cell(c.gbCodes2017)} | ${cell(c.govCodes15)} | ${cell(c.en627Items)} | ${cell(c.vendorCodes ?? [])} | ${c.detection} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The part of docs/errors.md that lists the catalog; a test checks the file holds it. */
export function renderErrorCatalogMarkdown(): string {
  const lines = ['| Code | HTTP | Retry? | Meaning |', '|---|---|---|---|'];
  for (const code of ERROR_CODES) {
    const e = ERROR_CATALOG[code];
    lines.push(`| \`${code}\` | ${e.http} | ${e.retryable ? 'yes, with backoff' : 'no: fix the input'} | ${e.summary} |`);
  }
  return `${lines.join('\n')}\n`;
}
