// Runs the containers' healthchecks on their schedule. Podman arms a systemd timer per container for this
// (`podman healthcheck run <id>` every interval); these machines have no systemd, so without this no container
// would ever leave "starting" and depends_on: service_healthy would wait forever. The checks run are the
// image's and the compose file's own; only the clock is ours, with podman's timing: first run one interval
// after the container starts, then one interval after each run ends.
import { spawn } from 'node:child_process';
import type { Engine } from './engine.ts';

interface Tracked {
  startedAt: string;
  intervalMs: number;
  due: number;
  running: boolean;
}

export interface HealthTimer {
  stop(): Promise<void>;
}

interface Inspected {
  Id: string;
  State: { Running: boolean; StartedAt: string };
  Config: { Healthcheck?: { Test?: string[]; Interval?: number } };
}

export function startHealthTimer(engine: Engine): HealthTimer {
  const tracked = new Map<string, Tracked>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const runCheck = (id: string, t: Tracked) => {
    t.running = true;
    const done = new Promise<void>((resolve) => {
      const child = spawn('podman', ['healthcheck', 'run', id], { env: engine.env, stdio: 'ignore' });
      child.on('error', () => resolve());
      child.on('exit', () => resolve());
    }).then(() => {
      t.running = false;
      t.due = Date.now() + t.intervalMs;
      inFlight.delete(done);
    });
    inFlight.add(done);
  };

  const tick = async () => {
    const r = await engine.podmanAsync(['ps', '-q', '--no-trunc']);
    const ids = r.stdout.split('\n').filter(Boolean);
    for (const id of tracked.keys()) if (!ids.includes(id)) tracked.delete(id);
    if (ids.length === 0) return;
    const inspected = await engine.podmanAsync(['inspect', ...ids]);
    const list = inspected.status === 0 ? (JSON.parse(inspected.stdout) as Inspected[]) : [];
    for (const c of list) {
      const test = c.Config.Healthcheck?.Test;
      if (!c.State.Running || !test || test[0] === 'NONE') continue;
      const intervalMs = Math.round((c.Config.Healthcheck?.Interval ?? 30e9) / 1e6);
      const t = tracked.get(c.Id);
      // A restarted container starts its schedule over, as its timer would.
      if (!t || t.startedAt !== c.State.StartedAt) {
        const started = Date.parse(c.State.StartedAt);
        const due = (Number.isNaN(started) ? Date.now() : started) + intervalMs;
        tracked.set(c.Id, { startedAt: c.State.StartedAt, intervalMs, due, running: false });
      }
    }
    for (const [id, t] of tracked) if (!t.running && Date.now() >= t.due && !stopped) runCheck(id, t);
  };

  // One tick at a time: a slow `podman inspect` never piles up behind itself.
  let ticking: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    ticking = tick()
      .catch(() => {})
      .finally(() => {
        if (!stopped) next = setTimeout(schedule, 500);
      });
  };
  let next: NodeJS.Timeout | undefined;
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(next);
      await ticking;
      await Promise.all(inFlight);
    },
  };
}
