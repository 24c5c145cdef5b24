import { defineConfig } from 'vitest/config';

// The team tests: real `ctm start` processes on hosts made of Linux network namespaces (root and iproute2
// needed). One file at a time, apart from `npm test`, whose machines need neither.
export default defineConfig({
  test: {
    include: ['test/team/**/*.test.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    setupFiles: ['test/setup-temp-dirs.ts'],
  },
});
