import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**'];

/**
 * Three projects, cheapest first: `unit` (*.test.ts, pure and fast), `integration` (*.int.test.ts,
 * starts real servers on random loopback ports) and `browser` (*.browser.test.ts, drives Debian's
 * chromium through playwright-core).
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['**/test/**/*.test.ts'], exclude: [...exclude, '**/*.int.test.ts', '**/*.browser.test.ts'] } },
      { test: { name: 'integration', include: ['**/test/**/*.int.test.ts'], exclude, testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'browser', include: ['**/test/**/*.browser.test.ts'], exclude, testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});
