#!/usr/bin/env node
// Entry point: plain JavaScript so that an old Node gets a clear message instead of a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `ctm needs Node.js 22.12 or newer (this is ${process.version}). Run it through npm (npm start, npx ctm), ` +
      'which uses the Node 24 from devDependencies, or install Node 24 LTS.\n',
  );
  process.exit(2);
}
if (!process.features.typescript) {
  // Node 22.12–22.17 strips types only behind a flag: re-run with it.
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(r.status ?? 1);
}
// Cache compiled (and type-stripped) modules on disk: cuts ~50 ms from every CLI start after the first.
process.getBuiltinModule('node:module').enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
