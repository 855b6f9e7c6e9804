// ESLint flat config: the recommended JS and typescript-eslint rules plus the rules this codebase's conventions rely on.
// Syntax-only (no type-aware presets) so `npm run lint` stays fast; type errors are `npm run typecheck`'s job.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering, mirrored from .dependency-cruiser.cjs (the authority: `npm run deps`, and npm test) so an editor flags a
// wrong import as it is typed. Keep the two in step; cycles and the composition-root rule are only checked there.
/** @param {string} up the relative prefix that leaves src/workflow/ from the files it applies to */
const workflowImports = (up) => ['error', { patterns: [
  {
    regex: '^(?!\\.|(zod|libphonenumber-js)(/|$))',
    message: 'src/workflow/ imports no framework, driver or node built-in: only zod and libphonenumber-js (workflow-is-pure).',
  },
  {
    regex: `^${up}(?!lib/)`,
    message: 'src/workflow/ imports only workflow/ and lib/: declare a port in workflow/ports/ and let compose.ts wire the adapter (workflow-is-pure).',
  },
] }];
const storeImports = ['error', { patterns: [
  {
    regex: '^(\\.\\./)+(highlevel|messaging|http|jobs|cli|sandbox)/',
    message: 'src/store/ is the SQL adapter behind the ports: no HighLevel, Twilio, HTTP, job kinds, CLI or sandbox (store-imports-no-vendor-adapter).',
  },
  {
    regex: '^(\\.\\./)+scheduler/(?!queue-port\\.js$)',
    message: 'src/store/ may import only the queue port from scheduler/ (store-imports-no-vendor-adapter).',
  },
] }];
const libImports = ['error', { patterns: [
  { regex: '^\\.\\./', message: 'src/lib/ is the leaf every layer may use: it imports nothing else from src/ (lib-is-a-leaf).' },
] }];

const envOnlyInConfig = { object: 'process', property: 'env', message: 'Only src/config.ts reads the environment: add a Config field.' };

// A focused test committed by mistake silently skips the rest of its file in CI.
const focusedTests = ['describe', 'it', 'test'].map((object) => ({
  object, property: 'only', message: 'Remove .only before committing: it skips every other test in the file.',
}));

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'test-results/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'textback/everywhere',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `== null` is the one loose comparison we mean: it matches null and undefined together.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Replaced by the TypeScript-aware rule below (which also understands type-only uses).
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrorsIgnorePattern: '^_',
        destructuredArrayIgnorePattern: '^_',
        ignoreRestSiblings: true,
      }],
      // A late-bound reference (a closure reads it before its one assignment, e.g. two objects that need each other)
      // must stay `let`: only flag variables that nothing reads before they are assigned.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true, destructuring: 'all' }],
      'no-throw-literal': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unreachable-loop': 'error',
      'array-callback-return': 'error',
      'no-useless-concat': 'error',
    },
  },

  {
    name: 'textback/node',
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    ignores: ['views/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'textback/commonjs',
    // Tool configs that must be CommonJS (e.g. .dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  {
    name: 'textback/src',
    files: ['src/**'],
    rules: {
      // The app logs through pino (structured, redacted); a stray console.* bypasses both.
      'no-console': 'error',
      'no-restricted-properties': ['error', envOnlyInConfig],
    },
  },
  {
    name: 'textback/src-console-allowed',
    // The CLI prints to its terminal; main.ts reports a bad config or a fatal start-up error before a logger exists.
    files: ['src/cli/**', 'src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    name: 'textback/config',
    files: ['src/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    name: 'textback/workflow',
    files: ['src/workflow/**'],
    rules: {
      'no-restricted-imports': workflowImports('\\.\\./\\.\\./'),
      'no-restricted-properties': ['error', envOnlyInConfig,
        { object: 'Date', property: 'now', message: 'The workflow reads time from its injected Clock (lib/clock.ts).' },
      ],
    },
  },
  {
    name: 'textback/workflow-top-level',
    files: ['src/workflow/*'],
    rules: { 'no-restricted-imports': workflowImports('\\.\\./') },
  },
  {
    name: 'textback/store',
    files: ['src/store/**'],
    rules: { 'no-restricted-imports': storeImports },
  },
  {
    name: 'textback/lib',
    files: ['src/lib/**'],
    rules: { 'no-restricted-imports': libImports },
  },

  {
    name: 'textback/test',
    files: ['test/**'],
    rules: {
      'no-restricted-properties': ['error', ...focusedTests],
      // Tests assert on untyped JSON (HTTP bodies, OpenAPI documents, supertest's `res.body` is already `any`):
      // there `any` is the honest type and the assertions do the checking. Production code keeps the rule.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  {
    name: 'textback/views',
    files: ['views/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'textback/sandbox-page-script',
    // A classic <script defer> (not a module): one IIFE under 'use strict'.
    files: ['views/sandbox/**/*.js'],
    languageOptions: { sourceType: 'script' },
  },
]);
