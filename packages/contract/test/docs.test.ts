import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, renderErrorCatalogMarkdown, renderFaultCodesMarkdown } from '../src/index.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|js)$/.test(name) && path.includes('src')) out.push(path);
  }
  return out;
}

describe('documents derived from code do not drift (run `npm run docs` to refresh)', () => {
  it('docs/fault-codes.md is the code table', () => {
    expect(read('docs/fault-codes.md')).toBe(renderFaultCodesMarkdown());
  });

  it('docs/errors.md lists the error catalog', () => {
    expect(read('docs/errors.md')).toContain(renderErrorCatalogMarkdown());
  });

  it('every LW_ERR_ code used in the source is in the catalog', () => {
    const used = new Set<string>();
    for (const file of sourceFiles('.')) for (const m of read(file).matchAll(/LW_ERR_[A-Z_]+/g)) used.add(m[0]);
    expect(used.size).toBeGreaterThan(5);
    for (const code of used) expect(ERROR_CODES, `${code} is used but not in the catalog`).toContain(code);
  });
});
