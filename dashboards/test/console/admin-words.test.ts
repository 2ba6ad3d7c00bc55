import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazardCategory, HazardSource, HazardState } from '@liftwatch/contract';
// @ts-expect-error: a plain ES module of the console, without types
import { ADMIN_WORDS } from '../../console/src/admin-words.js';
// @ts-expect-error: a plain ES module of the console, without types
import { mapLink } from '../../console/src/map-link.js';

// The words of the admin screens, the phone inbox, the public page and hazards: both languages
// complete, every key the files use defined, and the lists in step with the contract.
const words = ADMIN_WORDS as Record<'zh-CN' | 'en', Record<string, string>>;
const FILES = ['admin.js', 'phone-inbox.js', 'residents.js', 'hazards.js'];
const source = (f: string) => readFileSync(new URL(`../../console/src/${f}`, import.meta.url), 'utf8');
/** Keys of the console's main word list (i18n.js), read from its text: the module needs a browser. */
const mainKeys = new Set([...source('i18n.js').matchAll(/'([A-Za-z0-9.-]+)': '/g)].map((m) => m[1]!));
const literals = (schema: { anyOf: Array<{ const: string }> }) => schema.anyOf.map((s) => s.const);

describe('the words of the admin screens, phone inbox, public page and hazards', () => {
  it('Chinese and English have the same keys, none empty', () => {
    expect(Object.keys(words.en).sort()).toEqual(Object.keys(words['zh-CN']).sort());
    for (const l of ['zh-CN', 'en'] as const) expect(Object.entries(words[l]).filter(([, v]) => !v.trim())).toEqual([]);
  });

  it('every key the files name is defined', () => {
    const used = FILES.flatMap((f) => [...source(f).matchAll(/(?:\bt\(|'data-i18n': |\bfield\(h, )'([A-Za-z0-9.-]+)'/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(60);
    expect([...new Set(used)].filter((k) => !(k in words.en) && !mainKeys.has(k))).toEqual([]);
  });

  it('categories, sources and states are the contract\'s, each with its words', () => {
    const categories = literals(HazardCategory as never);
    expect(source('residents.js')).toContain(`export const CATEGORIES = [${categories.map((c) => `'${c}'`).join(', ')}];`);
    for (const key of [...categories.map((c) => `cat.${c}`), ...literals(HazardSource as never).map((s) => `hz.src.${s}`), ...literals(HazardState as never).map((s) => `hz.st.${s}`)]) {
      expect(words.en[key], key).toBeTruthy();
    }
  });
});

describe('the navigate button', () => {
  it('opens Amap at the lift\'s WGS-84 coordinates, else searches its address, else there is none', () => {
    expect(mapLink({ name: '3 幢', latitude: 30.28, longitude: 120.13 })).toBe('https://uri.amap.com/marker?position=120.13,30.28&name=3%20%E5%B9%A2&coordinate=wgs84&callnative=1');
    expect(mapLink({ address: '文三路 88 号' })).toBe(`https://uri.amap.com/search?keyword=${encodeURIComponent('文三路 88 号')}&callnative=1`);
    expect(mapLink({ name: 'x' })).toBeNull();
  });
});
