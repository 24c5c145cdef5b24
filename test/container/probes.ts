// What the container test looks at, each one way: a container's processes from /proc inside it, its inspect
// record, the fixture tree's files, a request with a Host of our choosing, an event stream read to a pattern,
// and polling until something holds.
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import type { Engine } from './engine.ts';

export interface ProcStatus {
  cmd: string;
  uid: string[];
  gid: string[];
  capEff: string;
  capBnd: string;
  noNewPrivs: string;
}

/** Every process of a container, from /proc inside it: command line, all four uids and gids, capabilities. */
export function processes(engine: Engine, container: string): ProcStatus[] {
  const script = [
    'for d in /proc/[0-9]*; do',
    '  s=$(cat "$d/status" 2>/dev/null) || continue',
    '  printf "Cmd: %s\\n" "$(tr "\\0" " " < "$d/cmdline" 2>/dev/null)"',
    '  echo "$s" | grep -E "^(Uid|Gid|CapEff|CapBnd|NoNewPrivs):"',
    '  echo ---',
    'done',
  ].join('\n');
  const out = engine.podman(['exec', container, 'sh', '-c', script]).stdout;
  return out
    .split('---\n')
    .filter((block) => block.includes('Uid:'))
    .map((block) => {
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        cmd: field('Cmd'),
        uid: field('Uid').split(/\s+/),
        gid: field('Gid').split(/\s+/),
        capEff: field('CapEff'),
        capBnd: field('CapBnd'),
        noNewPrivs: field('NoNewPrivs'),
      };
    });
}

export interface Inspect {
  Config: { User: string; Healthcheck?: { Test: string[] } };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[];
    CapAdd: string[] | null;
    SecurityOpt: string[];
    Memory: number;
    NanoCpus: number;
    PidsLimit: number;
    RestartPolicy: { Name: string };
  };
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  State: { StartedAt: string; Health?: { Status: string } };
}

export function inspect(engine: Engine, container: string): Inspect {
  return (JSON.parse(engine.podman(['inspect', container]).stdout) as Inspect[])[0]!;
}

/** Path → size and mtime of every file under the fixture Claude dir. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const st = statSync(p);
      out.set(relative(dir, p), entry.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs}`);
      if (entry.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** The status of a GET sent with a Host header of our choosing (fetch sets Host itself). */
export function statusFor(base: string, path: string, host: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function poll<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Reads an event stream until `want` matches the text so far, or the time is up. */
export async function readStream(res: Response, want: RegExp, timeoutMs: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!want.test(text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${want} within ${timeoutMs} ms; got ${text.slice(-400)}`);
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no ${want} within ${timeoutMs} ms`)), left),
        ),
      ]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** A size as podman prints it ("85.1MB"), in MB. */
export function megabytes(text: string): number {
  const m = /^([\d.]+)\s*([kMG]?B)/.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  const factor = { B: 1e-6, kB: 1e-3, MB: 1, GB: 1e3 }[m[2] as 'B' | 'kB' | 'MB' | 'GB'];
  return Math.round(Number(m[1]) * factor);
}
