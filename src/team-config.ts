// The settings of many machines, one report: this machine's name and user (the dimensions a hub reports by),
// a hub's ingest (CTM_INGEST_TOKENS and its limits; off unless the token file is set) and an agent's push
// (CTM_PUSH_URL, CTM_PUSH_TOKEN). Parsed with the rest of the configuration (config.ts spreads these in), from
// the env and flags passed in; every error names its setting. A token is never part of an error message.
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, expandHome, parseHost, parseInteger, type Env } from './config-parsers.ts';

export interface TeamConfig {
  /** This machine's name in a hub's reports (CTM_MACHINE, --machine): the host name by default. */
  machine: string;
  /** This machine's user in a hub's reports (CTM_USER, --user): the login name by default. */
  user: string;
  /** CTM_INGEST_TOKENS: the token file; when set, `ctm start` accepts OTLP logs (a hub). */
  ingestTokensFile: string | undefined;
  otlpHost: string;
  otlpPort: number;
  /** Largest request body accepted, compressed or not (413 beyond). */
  ingestMaxBytes: number;
  /** Most log records in one request (413 beyond), whatever their kind: bounds the decoder's memory. */
  ingestMaxRecords: number;
  /** Requests per second per token (429 beyond). */
  ingestRate: number;
  /** Longest a hub's decoder may take over one body before it is ended and restarted (the body gets 413). */
  ingestDecodeTimeoutMs: number;
  /** A hub's OTLP base URL (as OTEL_EXPORTER_OTLP_ENDPOINT is); the agent posts to <url>/v1/logs. */
  pushUrl: string | undefined;
  pushToken: string | undefined;
  /** Records per request an agent sends. */
  pushBatch: number;
}

export type TeamFlags = Partial<Record<'machine' | 'user' | 'push', string>>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A host name made into a machine name (letters, digits, . _ -): the first label of an FQDN is enough. */
export function defaultMachine(host = hostname()): string {
  const cleaned = host
    .split('.')[0]!
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned || 'localhost';
}

function defaultUser(): string {
  try {
    return userInfo().username || 'user';
  } catch {
    return 'user';
  }
}

function parseName(value: string | undefined, setting: string, fallback: () => string): string {
  const v = value?.trim();
  if (!v) return fallback();
  if (!NAME.test(v))
    throw new ConfigError(setting, `"${v}" is not a name (letters, digits, . _ -, at most 64, no spaces)`);
  return v;
}

function parseUser(value: string | undefined, setting: string): string {
  const v = value?.trim();
  if (!v) return defaultUser();
  // A user is reported as given (an email address is common), but never a control character or a huge string.
  if (v.length > 128 || /[\u0000-\u001f\u007f]/.test(v))
    throw new ConfigError(setting, 'expected a user name or email address of at most 128 characters');
  return v;
}

/** An OTLP base URL: http or https, no query or fragment; a trailing /v1/logs or slash is dropped. */
export function parsePushUrl(value: string | undefined, setting: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(setting, `not a URL: "${v}" (e.g. https://ctm.example.org:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(setting, `expected an http:// or https:// URL, got "${url.protocol}"`);
  if (url.search || url.hash) throw new ConfigError(setting, 'the URL may not have a query or fragment');
  if (url.username || url.password)
    throw new ConfigError(setting, 'the URL may not hold credentials; set CTM_PUSH_TOKEN');
  return url.href.replace(/\/v1\/logs\/?$/, '').replace(/\/+$/, '');
}

export function loadTeamConfig(env: Env, flags: TeamFlags = {}, host: string, home: string): TeamConfig {
  const tokens = env.CTM_INGEST_TOKENS?.trim();
  const pushUrl = parsePushUrl(flags.push ?? env.CTM_PUSH_URL, flags.push ? '--push' : 'CTM_PUSH_URL');
  const pushToken = env.CTM_PUSH_TOKEN?.trim() || undefined;
  if (pushUrl && !pushToken)
    throw new ConfigError('CTM_PUSH_TOKEN', `required with ${flags.push ? '--push' : 'CTM_PUSH_URL'}`);
  if (pushToken !== undefined && /\s/.test(pushToken))
    throw new ConfigError('CTM_PUSH_TOKEN', 'the token may not contain spaces');
  return {
    machine: parseName(flags.machine ?? env.CTM_MACHINE, flags.machine ? '--machine' : 'CTM_MACHINE', () =>
      defaultMachine(),
    ),
    user: parseUser(flags.user ?? env.CTM_USER, flags.user ? '--user' : 'CTM_USER'),
    ingestTokensFile: tokens ? resolve(expandHome(tokens, home)) : undefined,
    otlpHost: parseHost(env.CTM_OTLP_HOST, 'CTM_OTLP_HOST', host),
    otlpPort: parseInteger(env.CTM_OTLP_PORT, 'CTM_OTLP_PORT', 4318, 1, 65535),
    ingestMaxBytes: parseInteger(env.CTM_INGEST_MAX_BYTES, 'CTM_INGEST_MAX_BYTES', 16 << 20, 1024, 1 << 30),
    ingestMaxRecords: parseInteger(
      env.CTM_INGEST_MAX_RECORDS,
      'CTM_INGEST_MAX_RECORDS',
      100_000,
      1,
      10_000_000,
    ),
    ingestRate: parseInteger(env.CTM_INGEST_RATE, 'CTM_INGEST_RATE', 50, 1, 100_000),
    ingestDecodeTimeoutMs: parseInteger(
      env.CTM_INGEST_DECODE_TIMEOUT_MS,
      'CTM_INGEST_DECODE_TIMEOUT_MS',
      10_000,
      100,
      600_000,
    ),
    pushUrl,
    pushToken,
    pushBatch: parseInteger(env.CTM_PUSH_BATCH, 'CTM_PUSH_BATCH', 500, 1, 10_000),
  };
}
