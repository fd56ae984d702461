import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite is one in-process connection; files run in separate workers, two at a time on 2 cores.
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
