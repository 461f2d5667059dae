import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The core never imports an adapter; the bots never import each other (ARCHITECTURE.md).
const ADAPTERS = ['telegram', 'discord', 'api'];
const CORE = ['economy', 'linking', 'games', 'sync', 'cards', 'presenter', 'imports'];

const crossLibRelative = {
  group: ['../../*', '**/libs/*', '**/apps/*'],
  message: 'Import another library through its @ttfd/* alias, never by relative path.',
};

// Test doubles live in a separate entry (e.g. @ttfd/sync/testing) that production never loads.
const testingEntry = {
  group: ['@ttfd/*/testing'],
  message: 'Test doubles are for tests and the bench: production code never imports them.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', 'data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [crossLibRelative, testingEntry] }],
    },
  },
  ...CORE.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossLibRelative,
            testingEntry,
            {
              group: ADAPTERS.map((adapter) => `@ttfd/${adapter}`),
              message: 'The core reaches platforms only through the ports of @ttfd/sync.',
            },
          ],
        },
      ],
    },
  })),
  ...['telegram', 'discord'].map((bot) => ({
    files: [`libs/${bot}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossLibRelative,
            testingEntry,
            {
              group: [`@ttfd/${bot === 'telegram' ? 'discord' : 'telegram'}`],
              message: 'The two bots never import each other.',
            },
          ],
        },
      ],
    },
  })),
  {
    // The dashboard runs in the browser: its own tsconfig (DOM types), browser globals.
    files: ['apps/dashboard/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './apps/dashboard/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
      globals: {
        window: 'readonly',
        document: 'readonly',
        sessionStorage: 'readonly',
        location: 'readonly',
        history: 'readonly',
        fetch: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [crossLibRelative] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
