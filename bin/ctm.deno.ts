// Entry point for Deno (`deno task ctm …`): the same CLI as bin/ctm.js, without its Node version checks.
// Deno runs the TypeScript sources and the better-sqlite3 addon from node_modules (nodeModulesDir: manual).
import process from 'node:process';
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
