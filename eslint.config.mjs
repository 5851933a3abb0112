import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'child_process',
  'url',
  'util',
  'stream',
  'events',
  'zlib',
  'worker_threads',
];
const noNode = nodeBuiltins.map((name) => ({
  group: [name],
  message: 'Node built-ins are not available in this process (docs/design.md §4).',
}));
// Type-only imports vanish at build, so they may cross (allowTypeImports).
const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, allowTypeImports: true })) }] });

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'coverage/**',
      '*.config.mjs',
      'scripts/**/*.mjs',
      'bench/**/*.mjs',
      'test/support/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Benchmarks print their figures.
  { files: ['bench/**'], rules: { 'no-console': 'off' } },
  // Process boundaries of docs/design.md §4; scripts/layers.mjs prints the same crossings in one list.
  {
    files: ['src-renderer/engine/**'],
    rules: layer([
      {
        group: ['**/ui/**', '**/src-main/**', '**/src-preload/**'],
        message: 'The engine runs in a worker or hidden window: no UI, main or preload code.',
      },
      { group: ['react', 'react-dom', 'zustand', 'electron', '@tanstack/*'], message: 'The engine has no UI and no Electron.' },
      ...noNode,
    ]),
  },
  {
    files: ['src-renderer/ui/**'],
    rules: layer([
      {
        group: ['**/engine/**', '!**/engine/worker?worker', '**/src-main/**', '**/src-preload/**'],
        message: 'The UI reaches the engine only through the contract in src-shared.',
      },
      { group: ['electron', 'dexie'], message: 'The UI never touches Electron or the store.' },
      ...noNode,
    ]),
  },
  {
    files: ['src-shared/**'],
    rules: layer([
      {
        group: ['**/src-renderer/**', '**/src-main/**', '**/src-preload/**', '**/engine/**', '**/ui/**'],
        message: 'src-shared is imported by every process, so it depends on none.',
      },
      { group: ['react', 'react-dom', 'electron', 'dexie', 'zustand'], message: 'src-shared depends on no process.' },
      ...noNode,
    ]),
  },
  {
    files: ['src-main/**'],
    rules: layer([
      { group: ['**/src-renderer/**', '**/src-preload/**'], message: 'main is the Node host: it never loads renderer code.' },
      { group: ['react', 'react-dom', 'dexie', 'zustand'], message: 'main never loads renderer libraries.' },
    ]),
  },
  {
    files: ['src-preload/**'],
    rules: layer([
      { group: ['**/src-renderer/**', '**/src-main/**'], message: 'A preload is a tiny bridge: electron and src-shared only.' },
      { group: ['react', 'dexie'], message: 'A preload is a tiny bridge.' },
      ...noNode,
    ]),
  },
  { files: ['src-renderer/ui/**/*.tsx'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: ['test/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' } },
);
