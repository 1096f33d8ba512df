import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnly = {
  paths: [{ name: 'electron', message: 'Only electron/ may use Electron; keep this code runnable in plain Node.' }],
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Layering, as VS Code does it: a file's folder decides which runtime APIs it may touch.
      'no-restricted-imports': ['error', electronOnly],
    },
  },
  { files: ['electron/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            { group: ['**/worker/**'], message: 'The core talks to the worker only through contracts/worker-protocol.' },
            { group: ['**/cloud/**'], message: 'The pool is a separate service: the desktop reaches it only over contracts/cloud-api (core/pool/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            { group: ['**/core/**'], message: 'The worker is its own process: it shares only contracts/ with the core.' },
            { group: ['**/cloud/**'], message: 'The engine is shared by the desktop and the pool; it never imports the pool.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...electronOnly,
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox: no Node APIs.' },
            { group: ['**/core/**', '**/worker/**', '**/web-host/**', '**/cloud/**'], message: 'The renderer reaches the core only through the API.' },
          ],
        },
      ],
    },
  },
  {
    files: ['contracts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...electronOnly, patterns: [{ group: ['node:*', '../core/**', '../worker/**'], message: 'Contracts are plain data shared by every process.' }] },
      ],
    },
  },
);
