// Builds the two public images docker/Dockerfile and docker-compose.yml name, which cannot be pulled here, as
// test-only stand-ins on the Debian base (images/node, images/nginx-unprivileged say what each keeps of the
// real one), tagged with the very names the files use. A stand-in whose inputs have not changed is reused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Engine } from './engine.ts';

const here = import.meta.dirname;
const repoRoot = join(here, '..', '..');
/** npm for the Node stand-in (the real image bundles one; the Dockerfile's deps stage runs `npm ci`). */
const NPM_VERSION = '11.19.1';

export interface StandIns {
  node: string;
  nginx: string;
}

/** The image names as the repository's files spell them, qualified the way podman stores them. */
export function imageNames(): StandIns {
  const dockerfile = readFileSync(join(repoRoot, 'docker', 'Dockerfile'), 'utf8');
  const node = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
  const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
  const compose = load(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: { nginx: { image: string } };
  };
  if (!node) throw new Error('docker/Dockerfile: no ARG NODE_IMAGE=…');
  const qualify = (name: string) => `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  return { node: qualify(node), nginx: qualify(compose.services.nginx.image) };
}

function digestDir(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    hash.update(name);
    hash.update(readFileSync(join(dir, name)));
  }
}

/** Builds `tag` from images/<recipe> plus extra context unless an image with the same inputs exists. */
function buildStandIn(
  engine: Engine,
  o: {
    tag: string;
    recipe: string;
    base: string;
    args: Record<string, string>;
    extra?: (ctx: string) => void;
  },
  log: (line: string) => void,
): void {
  const recipeDir = join(here, 'images', o.recipe);
  const hash = createHash('sha256');
  digestDir(hash, recipeDir);
  hash.update(JSON.stringify(o.args));
  hash.update(engine.podman(['image', 'inspect', '--format', '{{.Id}}', o.base]).stdout.trim());
  const inputs = hash.digest('hex').slice(0, 16);
  const seen = engine.podman(['image', 'inspect', '--format', '{{index .Labels "ctm.test.inputs"}}', o.tag], {
    allowFailure: true,
  });
  if (seen.status === 0 && seen.stdout.trim() === inputs) return;

  const ctx = mkdtempSync(join(engine.cacheDir, `ctx-${o.recipe}-`));
  try {
    cpSync(recipeDir, ctx, { recursive: true });
    o.extra?.(ctx);
    const started = Date.now();
    const args = ['build', '--pull=never', '--format', 'docker', '--label', `ctm.test.inputs=${inputs}`];
    for (const [key, value] of Object.entries({ BASE: o.base, ...o.args }))
      args.push('--build-arg', `${key}=${value}`);
    engine.podman([...args, '-t', o.tag, ctx], { timeoutMs: 600_000 });
    log(`stand-in ${o.tag} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The npm release tarball, fetched once with the ordinary client into the cache. */
function npmTarball(engine: Engine): string {
  const file = join(engine.cacheDir, `npm-${NPM_VERSION}.tgz`);
  if (!existsSync(file)) {
    execFileSync('npm', ['pack', `npm@${NPM_VERSION}`, '--pack-destination', engine.cacheDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
  }
  return file;
}

export function buildStandIns(engine: Engine, base: string, log: (line: string) => void): StandIns {
  const names = imageNames();
  // Node 24 is the `node` devDependency's binary, the one `npx node` runs.
  const nodeBin = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
  const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  if (!nodeVersion.startsWith('24.')) throw new Error(`node_modules/node is Node ${nodeVersion}, not 24`);
  const npm = npmTarball(engine);
  buildStandIn(
    engine,
    {
      tag: names.node,
      recipe: 'node',
      base,
      args: { NODE_VERSION: nodeVersion, NPM_VERSION },
      extra(ctx) {
        mkdirSync(join(ctx, 'node', 'bin'), { recursive: true });
        copyFileSync(nodeBin, join(ctx, 'node', 'bin', 'node'));
        mkdirSync(join(ctx, 'npm'));
        execFileSync('tar', ['-xzf', npm, '-C', join(ctx, 'npm'), '--strip-components=1']);
      },
    },
    log,
  );
  buildStandIn(engine, { tag: names.nginx, recipe: 'nginx-unprivileged', base, args: {} }, log);
  return names;
}
