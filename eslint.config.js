// Lint: the recommended rules of ESLint and typescript-eslint, on every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.test-output/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', structuredClone: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['dashboards/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', EventSource: 'readonly', requestAnimationFrame: 'readonly', fetch: 'readonly' } },
  },
  {
    files: ['dashboards/console/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', location: 'readonly', localStorage: 'readonly', EventSource: 'readonly', requestAnimationFrame: 'readonly', fetch: 'readonly', Node: 'readonly', URLSearchParams: 'readonly' } },
  },
);
