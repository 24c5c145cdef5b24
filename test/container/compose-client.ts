// The compose client: Debian's docker-compose (1.29) against podman's Docker-compatible API, running
// docker-compose.yml itself — depends_on conditions, profiles, healthchecks, tmpfs, read_only, cap_drop and,
// with --compatibility, deploy.resources limits. Its schema predates two keys the file uses, so it reads a copy
// without exactly those: `name` (given as -p instead) and `healthcheck.start_interval` (Docker Engine ≥ 25
// only; podman 4.3 has no such setting). Both files are compared parsed, so nothing else can differ.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import type { Engine, RunResult } from './engine.ts';

const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface ComposeFile {
  name?: string;
  services: Record<string, { healthcheck?: Record<string, unknown> }>;
}

export interface ComposeClient {
  project: string;
  /** The parsed docker-compose.yml, as the repository has it. */
  file: ComposeFile;
  /**
   * Runs docker-compose with these settings as its whole environment (besides PATH, HOME, DOCKER_HOST).
   * Asynchronous: `up` waits on healthchecks that the health timer, in this same process, has to run.
   */
  run(args: string[], settings: Record<string, string>, o?: { allowFailure?: boolean }): Promise<RunResult>;
}

/** docker-compose.yml less the keys compose 1.29 rejects, and proof that nothing else was touched. */
export function v1Copy(text: string): string {
  const copy = text.replace(/^name: .*\n/m, '').replace(/^ +start_interval: .*\n/gm, '');
  const original = load(text) as ComposeFile;
  const expected = structuredClone(original);
  delete expected.name;
  for (const service of Object.values(expected.services)) delete service.healthcheck?.start_interval;
  if (!isDeepStrictEqual(load(copy), expected)) {
    throw new Error(
      'docker-compose.yml: the copy for compose 1.29 differs in more than name and start_interval',
    );
  }
  return copy;
}

export function composeClient(engine: Engine, repoRoot: string, workDir: string): ComposeClient {
  const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
  const file = load(text) as ComposeFile;
  const copyPath = join(workDir, 'docker-compose.v1.yml');
  writeFileSync(copyPath, v1Copy(text));
  // An empty env file, so a developer's .env beside docker-compose.yml plays no part.
  const envFile = join(workDir, 'compose.env');
  writeFileSync(envFile, '');
  const project = file.name ?? 'ctm';
  return {
    project,
    file,
    run(args, settings, o = {}) {
      const fullArgs = ['--compatibility', '-p', project, '--project-directory', repoRoot, '-f', copyPath];
      fullArgs.push('--env-file', envFile, ...args);
      const env = {
        PATH: engine.env.PATH!,
        HOME: engine.env.HOME!,
        DOCKER_HOST: engine.dockerHost,
        ...settings,
      };
      return new Promise((resolve, reject) => {
        execFile(
          'docker-compose',
          fullArgs,
          { env, encoding: 'utf8', timeout: 600_000 },
          (error, stdout, stderr) => {
            const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            if (status !== 0 && !o.allowFailure) {
              reject(new Error(`docker-compose ${args.join(' ')} exited ${status}\n${stderr}${stdout}`));
            } else resolve({ status, stdout, stderr });
          },
        );
      });
    },
  };
}
