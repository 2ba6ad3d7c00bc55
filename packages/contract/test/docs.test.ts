import { execFileSync } from 'node:child_process';
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

/** Pointers to notes that are not in the repository: a reader of the code cannot follow them. */
const OUTSIDE_POINTERS = [/\b[Ii]ssues? #?\d+/, /\bdomain \u00a7/, /\.\.\/shared(?![-\w])/, /\b(DESIGN|STYLE|LESSONS)\.md\b/, /elevator-domain\.md/];

describe('the repository explains itself', () => {
  it('no file points to issue numbers or to design notes kept outside the repository', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n')
      .filter((f) => /\.(ts|js|mjs|json|md|html|css|ya?ml|sh|txt)$|^\.ci\//.test(f) && f !== 'package-lock.json');
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      let text: string;
      try { text = read(file); } catch { continue; } // listed but deleted in the work tree
      text.split('\n').forEach((line, i) => {
        if (OUTSIDE_POINTERS.some((p) => p.test(line))) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(found, 'say it in docs/ with its real source instead').toEqual([]);
  });
});
