import { FAULT_CODES, type FaultCode } from './codes.js';

/**
 * Fault-code schemes a terminal may send instead of liftwatch's own codes. A controller or a
 * terminal built for a government platform reports GB/T 24476-2017 codes or the regulators'
 * "15-fault" numbers; the platform maps them to liftwatch codes with the tables below, built from
 * the code table (codes.ts), and keeps the original beside the mapped code.
 */
export const CODE_SCHEMES = Object.freeze(['gbt24476-2017', 'gov15'] as const);
export type CodeScheme = (typeof CODE_SCHEMES)[number];

export const CODE_SCHEME_NAMES: Readonly<Record<CodeScheme, string>> = Object.freeze({
  'gbt24476-2017': 'GB/T 24476-2017',
  gov15: "the regulators' 15-fault list",
});

/**
 * Codes of a scheme that are known but have no liftwatch code, with the reason. A terminal that
 * sends one gets a rejection that says so, not "unknown code".
 */
const WITHOUT_LIFTWATCH_CODE: Readonly<Record<CodeScheme, Readonly<Record<string, string>>>> = Object.freeze({
  'gbt24476-2017': Object.freeze({}),
  gov15: Object.freeze({
    '39': '39 未佩戴口罩 (a passenger without a face mask, a camera rule of 2020–2022) is not a lift fault and has no liftwatch code',
  }),
});

/** The canonical text of a code in a scheme: GB/T codes have two digits ("01"), 15-fault numbers none to spare ("7"). */
export function canonicalSourceCode(scheme: CodeScheme, sourceCode: string): string {
  const n = Number.parseInt(sourceCode, 10);
  if (!/^[0-9]{1,3}$/.test(sourceCode) || !Number.isSafeInteger(n)) return sourceCode;
  return scheme === 'gbt24476-2017' ? String(n).padStart(2, '0') : String(n);
}

function tableOf(scheme: CodeScheme): ReadonlyMap<string, FaultCode> {
  const map = new Map<string, FaultCode>();
  for (const c of FAULT_CODES) {
    const own = scheme === 'gbt24476-2017' ? c.gbCodes2017 : c.govCodes15.map(String);
    for (const code of own) map.set(canonicalSourceCode(scheme, code), c);
  }
  return map;
}

const TABLES: Readonly<Record<CodeScheme, ReadonlyMap<string, FaultCode>>> = Object.freeze({
  'gbt24476-2017': tableOf('gbt24476-2017'),
  gov15: tableOf('gov15'),
});

/** Every code of a scheme that maps to a liftwatch code, in numeric order, with the row it maps to. */
export function schemeTable(scheme: CodeScheme): Array<{ sourceCode: string; code: FaultCode }> {
  return [...TABLES[scheme]].map(([sourceCode, code]) => ({ sourceCode, code })).sort((a, b) => Number(a.sourceCode) - Number(b.sourceCode));
}

/** Codes of a scheme known to have no liftwatch code, with the reason. */
export function unmappedCodes(scheme: CodeScheme): Array<{ sourceCode: string; reason: string }> {
  return Object.entries(WITHOUT_LIFTWATCH_CODE[scheme]).map(([sourceCode, reason]) => ({ sourceCode, reason }));
}

export function isCodeScheme(name: string): name is CodeScheme {
  return (CODE_SCHEMES as readonly string[]).includes(name);
}

/**
 * Maps a code of another scheme to its liftwatch code (`gbt24476-2017` "11" → E01, `gov15` "7" → E01),
 * or says why it cannot: the reason names the scheme and the code and what to do.
 */
export function decodeSourceCode(scheme: CodeScheme, sourceCode: string): { ok: true; code: FaultCode } | { ok: false; reason: string } {
  const canonical = canonicalSourceCode(scheme, sourceCode);
  const code = TABLES[scheme].get(canonical);
  if (code) return { ok: true, code };
  const why = WITHOUT_LIFTWATCH_CODE[scheme][canonical];
  const name = CODE_SCHEME_NAMES[scheme];
  if (why) return { ok: false, reason: `${name} code ${JSON.stringify(sourceCode)}: ${why}; do not send it as a fault` };
  const known = schemeTable(scheme).map((r) => r.sourceCode).join(', ');
  return { ok: false, reason: `${name} code ${JSON.stringify(sourceCode)} (sourceScheme ${scheme}) is not a code liftwatch knows; known codes: ${known} (docs/fault-codes.md)` };
}
