import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time (each starts a server and a Chromium), generous timeouts.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // expect.poll gives up after 1 s by default: too little for a browser round trip on a loaded
    // 2-core CI machine (a language switch failed that way in CI while passing locally).
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
