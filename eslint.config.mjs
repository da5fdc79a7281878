// Lint rules that hold the layers of docs/architecture.md, so nobody has to remember them:
//   renderer/      imports only types from main/api.ts and agent/protocol.ts, and values only
//                  from agent/common/;
//   main/          never imports renderer/; only main/electron/ imports 'electron';
//   agent/         imports nothing from main/ or renderer/ (it is uploaded alone to the login node);
//   agent/common/  pure code every layer may import (and each bundle carries): it imports only
//                  its own files, nothing from Node, the DOM, main/, renderer/ or the rest of agent/.
// Type-aware rules run on the product only: a promise nobody awaits or catches loses its error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnlyInMainElectron = {
  name: 'electron',
  message: "Only main/electron/ may import 'electron' (docs/architecture.md); put the logic in main/ and pass it in.",
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/cluster/state/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Prettier breaks code at 140 but leaves long strings and comments alone: this holds them.
    files: ['main/**', 'agent/**', 'renderer/**', 'build/**'],
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true }] },
  },
  {
    files: ['main/**/*.ts', 'agent/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'build/**', 'test/**', 'main/**', 'agent/**', '*.config.*'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/*', '!**/main/api', '!**/main/api.ts'],
              message: 'The renderer may import only types from main/api.ts (docs/architecture.md §1).',
            },
            {
              group: ['**/main/api', '**/main/api.ts', '**/agent/protocol', '**/agent/protocol.ts'],
              allowTypeImports: true,
              message: 'The renderer may import only types across the boundary: use `import type`.',
            },
            {
              group: ['**/agent/*', '!**/agent/protocol', '!**/agent/protocol.ts', '!**/agent/common'],
              message: 'The renderer may not import agent code, only agent/common/ (shared pure code); its types come through main/api.ts.',
            },
            {
              group: ['node:*', 'fs', 'child_process', 'net', 'ssh2', 'ioredis'],
              message: 'The renderer runs in a sandboxed browser: no Node modules.',
            },
          ],
          paths: [electronOnlyInMainElectron],
        },
      ],
    },
  },
  {
    files: ['main/**'],
    ignores: ['main/electron/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMainElectron],
          patterns: [{ group: ['**/renderer/*'], message: 'main/ never imports renderer/ (docs/architecture.md).' }],
        },
      ],
    },
  },
  {
    files: ['main/electron/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/renderer/*'], message: 'main/ never imports renderer/ (docs/architecture.md).' }],
        },
      ],
    },
  },
  {
    files: ['agent/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMainElectron],
          patterns: [
            {
              group: ['**/main/*', '**/renderer/*'],
              message: 'agent/ is uploaded alone to the login node: it imports nothing from main/ or renderer/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['agent/common/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // Anything but a file of this folder (./x) is refused; zod/mini (no Node, no DOM) checks the share link.
          patterns: [
            {
              regex: '^(?!\\./[^/]+$|zod/mini$)',
              message: 'agent/common/ is pure code every layer imports: it may import only its own files (./x).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'build/**', '*.config.*'],
    ignores: ['test/fixtures/layers/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOnlyInMainElectron] }],
    },
  },
);
