// Hosts for the team tests: Linux network namespaces joined by veth pairs (Debian's iproute2, as root), each
// pair its own /24, so a link can be cut by taking one end down. Processes run inside a namespace through
// `ip netns exec`, which execs them: the pid kept is the process itself, so it can be killed by its id.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

export interface Link {
  /** Interface names on each side. */
  a: string;
  b: string;
  /** Addresses on each side. */
  aAddr: string;
  bAddr: string;
}

export class Hosts {
  readonly run = Math.random().toString(16).slice(2, 6);
  private readonly made: string[] = [];
  private readonly rootLinks: string[] = [];

  /** Fails at once, with the reason, where the test cannot run: not root, or no iproute2. */
  static check(): void {
    if (process.getuid?.() !== 0) throw new Error('the team test makes network namespaces: run it as root');
    try {
      ip('-V');
    } catch {
      throw new Error('the team test needs iproute2 (`ip`): apt-get install iproute2');
    }
  }

  host(name: string): string {
    const ns = `ctm-${this.run}-${name}`;
    ip('netns', 'add', ns);
    this.made.push(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A veth pair between two namespaces (null: this test's own, the root namespace) on 10.<net>.0/24. */
  link(aNs: string | null, bNs: string, net: number, tag: string): Link {
    const a = `c${this.run}${tag}a`;
    const b = `c${this.run}${tag}b`;
    ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
    if (aNs) ip('link', 'set', a, 'netns', aNs);
    else this.rootLinks.push(a);
    ip('link', 'set', b, 'netns', bNs);
    const aAddr = `10.${net}.0.1`;
    const bAddr = `10.${net}.0.2`;
    const inA = (...args: string[]) => (aNs ? ip('-n', aNs, ...args) : ip(...args));
    inA('addr', 'add', `${aAddr}/24`, 'dev', a);
    inA('link', 'set', a, 'up');
    ip('-n', bNs, 'addr', 'add', `${bAddr}/24`, 'dev', b);
    ip('-n', bNs, 'link', 'set', b, 'up');
    return { a, b, aAddr, bAddr };
  }

  setLink(ns: string, dev: string, up: boolean): void {
    ip('-n', ns, 'link', 'set', dev, up ? 'up' : 'down');
  }

  spawnIn(ns: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
    return spawn('ip', ['netns', 'exec', ns, command, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Stops what still runs in this test's namespaces (by pid), then removes them and their links. */
  remove(): void {
    for (const ns of this.made) {
      const pids = ip('netns', 'pids', ns).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const dev of this.rootLinks) {
      try {
        ip('link', 'del', dev);
      } catch {
        // went with its peer's namespace
      }
    }
    for (const ns of this.made.splice(0)) ip('netns', 'del', ns);
  }
}
