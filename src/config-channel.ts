// The one way configuration reaches ctm's child processes and worker threads: the parent's validated Config,
// CLI flags and all, as JSON in one environment variable, checked and read back whole in the child. A child
// never derives its settings again from an environment that may differ from its parent's.
import * as v from 'valibot';
import { ConfigError, type Config, type Env } from './config.ts';

export const CONFIG_ENV = 'CTM_CONFIG';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** The settings that may be unset (JSON drops a key whose value is undefined). */
type Unset = 'pricingFile' | 'ingestTokensFile' | 'pushUrl' | 'pushToken';
const configSchema = v.strictObject({
  claudeDirs: v.array(v.string()),
  claudeDirsSource: v.picklist(['CTM_CLAUDE_DIR', 'CLAUDE_CONFIG_DIR', 'default']),
  dataDir: v.string(),
  dbPath: v.string(),
  timezone: v.string(),
  pricingFile: v.optional(v.string()),
  costMode: v.picklist(['auto', 'calculate', 'display']),
  host: v.string(),
  allowedHosts: v.array(v.string()),
  port: count,
  logLevel: v.picklist(['debug', 'info', 'warn', 'error']),
  rebuildCron: v.string(),
  snapshotCron: v.string(),
  snapshotKeep: count,
  tokenLimit: v.union([count, v.literal('max')]),
  rescanSeconds: count,
  weekStart: v.picklist([0, 1, 2, 3, 4, 5, 6]),
  machine: v.string(),
  user: v.string(),
  ingestTokensFile: v.optional(v.string()),
  otlpHost: v.string(),
  otlpPort: count,
  ingestMaxBytes: count,
  ingestMaxRecords: count,
  ingestRate: count,
  ingestDecodeTimeoutMs: count,
  pushUrl: v.optional(v.string()),
  pushToken: v.optional(v.string()),
  pushBatch: count,
}) satisfies v.GenericSchema<unknown, Omit<Config, Unset> & Partial<Pick<Config, Unset>>>;

/** The environment of a child: `env` with the config in it. */
export function childEnv(config: Config, env: Env): Env {
  return { ...env, [CONFIG_ENV]: JSON.stringify(config) };
}

/** The config a parent handed down (childEnv); a child started without one, or with a damaged one, stops. */
export function inheritedConfig(env: Env): Config {
  const text = env[CONFIG_ENV];
  if (!text) throw new ConfigError(CONFIG_ENV, 'missing: this is started by ctm with its configuration');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(CONFIG_ENV, `not JSON (${(error as Error).message})`);
  }
  const parsed = v.safeParse(configSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new ConfigError(CONFIG_ENV, `${v.getDotPath(issue) ?? 'config'}: ${issue.message}`);
  }
  const o = parsed.output;
  return {
    ...o,
    pricingFile: o.pricingFile,
    ingestTokensFile: o.ingestTokensFile,
    pushUrl: o.pushUrl,
    pushToken: o.pushToken,
  };
}
