/**
 * Three tiers (STYLE.md): unit specs beside the code (*.spec.ts), integration specs against real
 * Postgres and Redis (*.int-spec.ts), e2e specs that boot the app (test/**\/*.e2e-spec.ts).
 * Integration and e2e run in band; each suite gets its own database copy and Redis prefix.
 */
const transform = {
  '^.+\\.(t|j)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const moduleNameMapper = {
  '^@ttfd/migrations$': '<rootDir>/migrations',
  '^@ttfd/server$': '<rootDir>/apps/server/src',
  // Test doubles: a separate entry, so production code never loads them.
  '^@ttfd/([a-z0-9-]+)/testing$': '<rootDir>/libs/$1/src/testing',
  '^@ttfd/([a-z0-9-]+)$': '<rootDir>/libs/$1/src',
};

const common = {
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

const withDatabase = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  slowTestThreshold: 30,
};

module.exports = {
  // Per-project testTimeout is ignored by jest: one generous limit, tests poll for conditions.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,bench,scripts}/**/*.spec.ts'],
    },
    {
      ...withDatabase,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
    },
    {
      ...withDatabase,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
