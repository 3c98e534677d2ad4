// Named jest.e2e.config so the Nx jest plugin does not infer a `test` target: these tests drive a
// real Chromium against the built services and run only through `nx e2e monitor-agent-e2e`.
module.exports = {
  displayName: 'monitor-agent-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.browser.spec.ts'],
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
