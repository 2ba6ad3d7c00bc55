import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every benchmark writes its latest figures to bench/results/<name>.json in one format (ResultRow in
// bench/figures.ts), so that any results file can be read, compared and charted the same way.
const dir = join(import.meta.dirname, '..', 'results');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const KEYS = ['metric', 'unit', 'value', 'reference', 'ratio', 'command', 'date'] as const;

/** What is wrong with a results file's content, one line per fault; empty when it is an array of result rows. */
function faults(content: unknown): string[] {
  if (!Array.isArray(content)) return [`is ${content === null ? 'null' : typeof content}, not an array of result rows`];
  if (content.length === 0) return ['is an empty array: a benchmark writes at least one figure'];
  return content.flatMap((row: unknown, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return [`row ${i} is not an object`];
    const r = row as Record<string, unknown>;
    const at = `row ${i} (${String(r['metric'])})`;
    return [
      ...KEYS.filter((k) => !(k in r)).map((k) => `${at} has no "${k}"`),
      ...(['metric', 'unit', 'command', 'date'] as const).filter((k) => k in r && typeof r[k] !== 'string').map((k) => `${at}: "${k}" is not a string`),
      ...(typeof r['value'] === 'number' ? [] : [`${at}: "value" is not a number`]),
      ...(['reference', 'ratio'] as const).filter((k) => k in r && r[k] !== null && typeof r[k] !== 'number').map((k) => `${at}: "${k}" is neither a number nor null`),
      ...(typeof r['date'] === 'string' && Number.isNaN(Date.parse(r['date'])) ? [`${at}: "date" is not a date`] : []),
    ];
  });
}

describe('bench/results', () => {
  it('has results files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s is an array of rows with metric, unit, value, reference, ratio, command and date', (file) => {
    const content = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    expect(faults(content), `bench/results/${file}: make the benchmark that writes it write rows as ResultRow in bench/figures.ts (reference and ratio null when it has no reference), then run it again`).toEqual([]);
  });
});
