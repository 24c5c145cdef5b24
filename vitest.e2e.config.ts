import { defineConfig } from 'vitest/config';

// End-to-end tests: real processes, real nginx, real chromium. Run one file at a time (2 cores).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    setupFiles: ['test/setup-temp-dirs.ts'],
  },
});
