import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The container test (npm run test:container): docker/Dockerfile built and docker-compose.yml run with podman.
// One file, run alone; the first run on a machine also makes the Debian base image (about a minute).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/container/**/*.container.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
    setupFiles: ['test/setup-temp-dirs.ts'],
  },
});
