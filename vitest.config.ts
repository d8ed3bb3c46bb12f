import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    // Tests that spawn the CLI share one machine with two cores.
    maxWorkers: 2,
  },
});
