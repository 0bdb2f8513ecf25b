import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each test file gets its own database cloned from a migrated template; 2 cores here.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
