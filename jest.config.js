/** Jest runs TypeScript through SWC (no type-checking: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A hang guard, not a race: 30 s on an idle machine times the patience of a loaded one (test/helpers/patience.ts).
  testTimeout: 120000,
  // The slow tests wait on moto and synth, not on the CPU: two workers on two cores halve the wall time.
  maxWorkers: 2,
  // Longest files first, also on a clean clone where jest has no durations cached yet.
  testSequencer: '<rootDir>/test/slow-first-sequencer.js',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
};
