// The team side of `ctm start`, when configured: a hub (CTM_INGEST_TOKENS: the OTLP receiver and its writer
// thread) and an agent (CTM_PUSH_URL: the push thread, nudged by every ingest commit). Either, both or neither
// run; a single machine without them starts nothing here. The hub's commits take the ingest's path (onCommit);
// its requests and records are counted on /metrics.
import { Counter } from 'prom-client';
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import { childEnv } from '../config-channel.ts';
import type { ChangeSetJson } from '../db/change-set.ts';
import type { Logger } from '../log.ts';
import { loadTokenBook } from '../hub/ingest-tokens.ts';
import { startHub, type RunningHub } from '../hub/start-hub.ts';
import type { FromPushWorker, ToPushWorker } from '../push/push-messages.ts';
import type { Runtime } from './runtime.ts';
import { superviseWorker, type SupervisedWorker } from './supervised-worker.ts';

const STOP_PUSH_MS = 7000;

export interface TeamServices {
  /** An ingest commit: the push thread has rows to send. */
  nudge(): void;
  close(): Promise<void>;
}

export interface TeamOptions {
  config: Config;
  log: Logger;
  rt: Runtime;
  onCommit(changes: ChangeSetJson, at: number): void;
}

export async function startTeamServices(o: TeamOptions): Promise<TeamServices> {
  const { config, log, rt } = o;
  let hub: RunningHub | null = null;
  if (config.ingestTokensFile !== undefined) {
    // Read before anything listens: a bad token file stops ctm with one line, like any other setting.
    const tokens = loadTokenBook(config.ingestTokensFile);
    const requests = new Counter({
      name: 'ctm_hub_requests_total',
      help: 'OTLP requests the hub answered, by HTTP status.',
      labelNames: ['status'] as const,
      registers: [rt.metrics.registry],
    });
    const records = new Counter({
      name: 'ctm_hub_records_total',
      help: 'Log records the hub received, by machine and result (accepted, duplicate, rejected, ignored).',
      labelNames: ['machine', 'result'] as const,
      registers: [rt.metrics.registry],
    });
    try {
      hub = await startHub({
        config,
        log,
        tokens,
        onCommit: o.onCommit,
        onReply: (status, machine, outcome) => {
          requests.inc({ status: String(status) });
          if (machine === null || outcome?.type !== 'written') return;
          records.inc({ machine, result: 'accepted' }, outcome.accepted);
          records.inc({ machine, result: 'duplicate' }, outcome.duplicates);
          records.inc({ machine, result: 'rejected' }, outcome.rejected);
          records.inc({ machine, result: 'ignored' }, outcome.ignored);
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
        throw new ConfigError(
          'CTM_OTLP_PORT',
          `cannot listen on ${config.otlpHost}:${config.otlpPort} (${code}); set CTM_OTLP_PORT or CTM_OTLP_HOST`,
        );
      throw error;
    }
    rt.status.hub = { url: hub.url, machines: tokens.machines.length };
  }

  let push: SupervisedWorker<ToPushWorker> | null = null;
  if (config.pushUrl !== undefined) {
    rt.status.push = { url: config.pushUrl, lastPushAt: null, lastError: null, sent: 0 };
    push = superviseWorker<ToPushWorker, FromPushWorker>({
      name: 'push',
      file: new URL('../push/push-worker.ts', import.meta.url),
      env: childEnv(config, process.env),
      workerData: { logJson: !process.stdout.isTTY },
      log,
      graceMs: STOP_PUSH_MS,
      onMessage: (m) => {
        if (m.type !== 'pushed' || !rt.status.push) return;
        rt.status.push.lastError = m.error;
        if (m.error === null) rt.status.push.lastPushAt = m.at;
        rt.status.push.sent += m.sent;
      },
    });
    log.info('pushing to hub', { url: config.pushUrl, machine: config.machine, user: config.user });
  }

  return {
    nudge: () => push?.post({ type: 'nudge' }),
    async close() {
      await Promise.all([hub?.close(), push?.stop()]);
    },
  };
}
