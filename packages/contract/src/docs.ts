import { CODE_SCHEME_NAMES, CODE_SCHEMES, schemeTable, unmappedCodes } from './code-schemes.js';
import { FAULT_CODES } from './codes.js';
import { ERROR_CATALOG, ERROR_CODES } from './errors.js';

const cell = (v: readonly (string | number)[] | string | undefined) => (Array.isArray(v) ? (v.length ? v.join(', ') : '–') : v || '–');

/** docs/fault-codes.md, rendered from the code table so the two cannot drift (a test compares them). */
export function renderFaultCodesMarkdown(): string {
  const lines = [
    '# Fault and event codes',
    '',
    'Generated from `packages/contract/src/codes.ts` by `npm run docs`; a test fails when this file and the table differ.',
    '',
    'Sources and confidence. **[S]** EN 627:1995 (identical to GB/T 24476-2009) minimum list of fault and status records,',
    'as reproduced in the Danish working-environment authority\'s annex (Arbejdstilsynet, Bilag 6). **[I]** GB/T 24476-2017',
    '(*Specification for IoT for lifts, escalators and moving walks*, clause 11: fault, event and alarm data) is paywalled;',
    'its numbers here are those of independent public implementations that agree with each other: a C# BACnet gateway',
    '(`BACnetMessageCode`) and a provincial special-equipment data-exchange schema (`t_elevator_data.fault_type`). The',
    'regulators\' "15-fault" numbers and their vendor extensions 16–42 come from four unrelated public codebases (an STM32',
    'terminal, an NB/Cat-1 MQTT terminal, a Java government-platform adapter `GovernFaultTypeEnum`, a dashboard).',
    'Vendor codes: 101–109 entrapment variants, 209/210 brake-force test, 211/212 levelling photo-switch. S codes are',
    'escalators and moving walks. Severities are liftwatch\'s: P1 life safety or entrapment (dispatch at once), P2 out of',
    'service or safety chain affected, P3 predicted degradation, P4 information.',
    '',
    '| Code | Severity | Kind | 中文 | English | GB/T 24476-2017 | 15-fault | EN 627 | Vendor | Detection |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of FAULT_CODES) {
    const sev = c.severityWithPassengers ? `${c.severity} (${c.severityWithPassengers} with passengers)` : c.severity;
    lines.push(`| ${c.code} | ${sev} | ${c.kind} | ${c.nameZh} | ${c.nameEn} | ${cell(c.gbCodes2017)} | ${cell(c.govCodes15)} | ${cell(c.en627Items)} | ${cell(c.vendorCodes ?? [])} | ${c.detection} |`);
  }
  return `${[...lines, ...renderSchemeTables()].join('\n')}\n`;
}

/** The decoders' tables: what a terminal's GB/T 24476-2017 or 15-fault code becomes. */
function renderSchemeTables(): string[] {
  const lines = [
    '',
    '## Codes from other schemes',
    '',
    'A terminal may name a fault by the code its controller or its government platform uses: `sourceScheme`',
    '(`gbt24476-2017` or `gov15`) and `sourceCode` (digits, as text: `"11"`, `"7"`), instead of or beside `code`. The',
    'platform maps it with the tables below, stores the record with `code` filled in and `sourceScheme` and `sourceCode`',
    'kept as sent, and rejects a code it cannot map (`LW_ERR_UNKNOWN_FAULT_CODE`, naming the scheme and the code). A',
    'record that sends both `code` and a source code must have them agree. GB/T codes are read with two digits (`"1"` is',
    '`"01"`).',
    '',
    'Where a scheme\'s item has no row of its own, liftwatch chose the nearest code: GB/T 90 (alarm button) and 15-fault 21',
    '(user alarm) are E01 like EN 627 item 11; 15-fault 20 (door obstructed while closing) is U02; 38 (abnormal',
    'vibration) is D03; 40 (door motor blocked) is E09; 41 (main switch off) is E13; 42 (barometric sensor abnormal) is',
    'Q01. GB/T 40 (back to automatic operation) is a U04 mode event.',
  ];
  for (const scheme of CODE_SCHEMES) {
    lines.push('', `### ${CODE_SCHEME_NAMES[scheme]} (\`sourceScheme: "${scheme}"\`)`, '', '| sourceCode | liftwatch code | English |', '|---|---|---|');
    const rows = [
      ...schemeTable(scheme).map((r) => ({ n: Number(r.sourceCode), line: `| ${r.sourceCode} | ${r.code.code} | ${r.code.nameEn} |` })),
      ...unmappedCodes(scheme).map((u) => ({ n: Number(u.sourceCode), line: `| ${u.sourceCode} | rejected | ${u.reason} |` })),
    ];
    for (const r of rows.sort((a, b) => a.n - b.n)) lines.push(r.line);
  }
  return lines;
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
