import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The console's word tables kept as [Chinese, English] pairs (console/src/*-words.json): every key has
// both, and every word a screen asks for by a literal key is in its table.
const SRC = new URL('../console/src/', import.meta.url);
const tables = readdirSync(SRC).filter((f) => f.endsWith('-words.json'));
const sources = readdirSync(SRC).filter((f) => f.endsWith('.js'));

describe('console word tables', () => {
  it.each(tables)('%s: every key in Chinese and English', (file) => {
    const words = JSON.parse(readFileSync(new URL(file, SRC), 'utf8')) as Record<string, unknown>;
    const wrong = Object.entries(words).filter(([, v]) => !Array.isArray(v) || v.length !== 2 || v.some((s) => typeof s !== 'string' || s.trim() === ''));
    expect(wrong).toEqual([]);
    expect(Object.keys(words).length).toBeGreaterThan(50);
  });

  it('every literal key the screens use is in a table', () => {
    const known = new Set(tables.flatMap((f) => Object.keys(JSON.parse(readFileSync(new URL(f, SRC), 'utf8')) as object)));
    const users = sources.filter((f) => readFileSync(new URL(f, SRC), 'utf8').includes("from './registry-words.js'"));
    expect(users.length).toBeGreaterThan(6);
    // Keys are quoted whole where they are written (w('r.title'), or in a list of column keys).
    const KEY = /'((?:r|w|m|o|s|rc|kind|cls|ws|cr|res|set|type)\.[A-Za-z.]+)'/g;
    const missing = users.flatMap((f) => [...readFileSync(new URL(f, SRC), 'utf8').matchAll(KEY)].map((m) => m[1]!).filter((k) => !known.has(k)).map((k) => `${f}: ${k}`));
    expect(missing).toEqual([]);
  });
});
