// `nx run monitor-agent-e2e:docs-screenshot`: regenerates docs/dashboard.png (the README's picture)
// from a longer, livelier run than the browser test's. Not part of CI.
module.exports = {
  displayName: 'monitor-agent-docs-screenshot',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.shot.ts'],
  testTimeout: 180_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
