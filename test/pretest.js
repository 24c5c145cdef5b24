// `npm test`'s first step (the pretest script): plain JavaScript, so that a run before `npm install` (on the
// machine's own, older Node) says what to do instead of failing on TypeScript; then the check of the system
// tools the tests need (prerequisites.ts), which installs them where it can.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (
  !existsSync(new URL('../node_modules/.bin/node', import.meta.url)) ||
  major < 22 ||
  (major === 22 && minor < 18)
) {
  process.stderr.write(
    `npm test runs on the Node 24 that npm install brings (this is ${process.version}); run npm install first.\n`,
  );
  process.exit(2);
}
const { checkThisMachine } = await import('./prerequisites.ts');
process.exitCode = checkThisMachine();
