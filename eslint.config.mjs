// ESLint flat config: typescript-eslint's recommended rules (syntax only, no type information, so
// `npm run lint` stays fast) over every hand-written source; built output is not linted.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'coverage/', 'cloudfunctions/genScheme/index.js', 'web/dist/', 'bench/baseline/dist/', 'bench/.cache/', 'tmp/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding that is there for its position only.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `import x = require('…')` is TypeScript's typed CommonJS import (src/index.ts uses it for wx-server-sdk).
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  // Plain JavaScript run by Node as CommonJS (workers, bench children, the jest reporter).
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The H5 page and its settings file run in a browser; the mini program has its own globals (wx, Page, App…) from its typings.
  { files: ['web/**'], languageOptions: { globals: { ...globals.browser } } },
);
