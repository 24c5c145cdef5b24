// The pieces of configuration parsing that config.ts and team-config.ts share: the error that names a
// setting, the environment's type, `~` expansion, whole numbers in a range and host validation. Kept apart so
// that neither imports the other.
import { homedir } from 'node:os';
import { join } from 'node:path';

// node:net on first use: importing it loads the whole socket stack, 3–5 ms of every CLI start, for isIP alone.
export const isIP = (s: string): number => process.getBuiltinModule('node:net').isIP(s);

export class ConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, message: string, options?: ErrorOptions) {
    super(`${setting}: ${message}`, options);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}

export type Env = Record<string, string | undefined>;

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

export const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/** An IP address (IPv6 with or without brackets) or a syntactically valid host name; no DNS look-up here. */
export function parseHost(value: string | undefined, setting: string, fallback: string): string {
  const host = value?.trim() || fallback;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return bare;
  if (HOST_NAME.test(host.replace(/\.$/, ''))) return host;
  throw new ConfigError(
    setting,
    `not an IP address or host name: "${host}" (e.g. 127.0.0.1, ::1, localhost)`,
  );
}

/** A whole number from min to max; unset or blank is the fallback. */
export function parseInteger(
  value: string | undefined,
  setting: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(setting, `expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(setting, `expected a number from ${min} to ${max}, got ${n}`);
  return n;
}
