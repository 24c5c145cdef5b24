// Renders the real templates and has the installed nginx check them (nginx is a test dependency: .ci/run
// installs it).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from './find-nginx.ts';
import { writeNginxConfig } from './nginx-config.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(overrides: Partial<Parameters<typeof writeNginxConfig>[0]> = {}) {
  const runDir = mkdtempSync(join(tmpdir(), 'ctm-nginx-test-'));
  dirs.push(runDir);
  return {
    repoRoot,
    runDir,
    nginx: findNginx(undefined, process.env.PATH),
    listen: '127.0.0.1:18999',
    siteRoot: '/srv/ctm/site/current',
    archiveRoot: '/srv/ctm/archive',
    upstream: '127.0.0.1:18998',
    ...overrides,
  };
}

describe('writeNginxConfig', () => {
  it('renders a configuration nginx -t accepts', () => {
    const o = options();
    const main = writeNginxConfig(o);
    const ctm = readFileSync(join(o.runDir, 'ctm.conf'), 'utf8');
    expect(ctm).not.toMatch(/\$\{CTM_[A-Z]/);
    expect(ctm).toContain('root /srv/ctm/site/current;');
    expect(ctm).toContain('alias /srv/ctm/archive/;');
    expect(ctm).toMatch(/map "" \$ctm_upstream \{\s+default 127\.0\.0\.1:18998;/);
    expect(ctm).toContain('allow 127.0.0.0/8; allow 10.0.0.0/8;');
    expect(readFileSync(main, 'utf8')).toContain(`pid ${o.runDir}/nginx.pid;`);
  });

  it('reports what nginx -t rejects', () => {
    expect(() => writeNginxConfig(options({ upstream: 'not a host:port' }))).toThrow(/nginx -t rejected/);
  });
});
