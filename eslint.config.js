import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-server/**', 'release/**', 'node_modules/**', 'data/**', 'coverage/**', '.tmp/**', 'server/analysis/models/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Sandboxes and the /preview host are not production code (issue 8): server/ loads them only with
    // `await import()` in sandbox mode, so a static import of sandbox/ or app/preview/ is refused here.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(sandbox|app/preview)/', allowTypeImports: true, message: 'server/ must not import sandbox/ or app/preview/ statically; use await import() in sandbox mode.' }] }],
    },
  },
  {
    // analysis/ is pure: no I/O, runs in Node and the browser.
    files: ['server/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'http', 'https', 'net', 'axios', 'better-sqlite3', '../store/*', '../http/*', '../pipeline/*', '../helpdesks/*', '../bots/*', '**/sandbox/**'] }],
    },
  },
);
