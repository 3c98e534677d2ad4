// Named jest.e2e.config so the Nx jest plugin does not infer a `test` target: these tests start
// the built services as processes and run only through `nx e2e monitor-e2e` (after the builds).
module.exports = {
  displayName: 'monitor-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
