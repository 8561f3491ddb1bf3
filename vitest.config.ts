import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/contract-coverage.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Every run takes a file's tests in a new order (the seed is printed; --sequence.seed=N repeats it): a test
    // that needs what another left behind fails here instead of one day when someone runs it alone.
    sequence: { shuffle: { files: false, tests: true } },
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
