import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'ingest/**/*.test.ts',
      'bench/**/*.test.ts',
      'test/*.test.ts',
      'test/fixtures/*.test.ts',
    ],
    env: { TZ: 'UTC' },
    testTimeout: 20_000,
    pool: 'forks',
    setupFiles: ['test/setup-temp-dirs.ts'],
  },
});
