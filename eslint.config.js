// ESLint (`npm run lint`): typescript-eslint's recommended rules everywhere, React's hooks
// rules in the renderer, and the tree's layering: each folder names the process its files
// run in, and may import only what that process has. Formatting is Prettier's, not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** An import rule for a folder: what its files may not import, and why. */
const mayNotImport = (files, rules) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: rules.map(([group, message]) => ({ group, message })) }],
  },
});

export default defineConfig(
  globalIgnores(['dist/', 'out/', 'native/build/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` says a parameter is there for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  mayNotImport(
    ['native/common/**'],
    [
      [['**/node/**', '**/renderer/**', '**/main/**', '**/preload/**'], 'native/common is for every process: it imports only native/common.'],
      [['node:*', 'electron'], 'native/common is for every process, the renderer included: no Node or Electron modules.'],
    ],
  ),
  mayNotImport(
    ['renderer/**'],
    [
      [['**/native/node/**', '**/main/**', '**/preload/**'], 'The renderer reaches the engine only through the protocol (native/common).'],
      [['node:*', 'electron'], 'The renderer is a web page: no Node or Electron modules.'],
    ],
  ),
  mayNotImport(['preload/**'], [[['**/native/node/**', '**/renderer/**', '**/main/**'], 'The preload imports only Electron and native/common.']]),
  mayNotImport(
    ['main/**', 'native/node/inspector_host/**'],
    [[['**/api/**', '**/engine_process/**', '**/renderer/**'], 'The engine and its addon run in the engine process: the host talks to it by messages.']],
  ),
  mayNotImport(
    ['native/node/engine_process/**'],
    [[['**/inspector_host/**', '**/cli/**'], 'The engine process serves the protocol; the host side is another process.']],
  ),
);
