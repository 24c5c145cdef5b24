// The running version, from package.json (a JSON import, so it also works inside the bundled SSR server).
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;
