// Finds the transcripts under <claude dir>/projects: <project>/<name>.jsonl (sessions, and agent-<id>.jsonl
// beside their session) and agent-*.jsonl at any depth below a session dir (<session>/subagents/ and
// <session>/subagents/workflows/<id>/). Any other .jsonl below a session dir (a workflow's journal.jsonl) is
// not a transcript: it is counted as ignored, not as a problem. Symlinks are followed once: directories are
// tracked by device+inode, so a symlink loop ends the walk. A symlinked transcript is read only when its
// target lies inside a configured Claude dir: one pointing elsewhere is skipped as symlink_outside_claude_dirs.
// Unreadable directories and odd entries are counted, never thrown. Nothing is written or locked here.
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep, basename } from 'node:path';

export interface FoundFile {
  path: string;
  claudeDir: string;
  project: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface DiscoverResult {
  files: FoundFile[];
  /** Claude dirs that have projects/. */
  usableDirs: string[];
  problems: Record<string, number>;
  /** Where each problem is: the path and its reason, in the order found. */
  problemPaths: { path: string; reason: string }[];
  /** .jsonl files that are not transcripts (journal.jsonl and the like below a session dir). */
  ignored: number;
}

export function hasProjectsDir(claudeDir: string): boolean {
  try {
    return statSync(join(claudeDir, 'projects')).isDirectory();
  } catch {
    return false;
  }
}

/** path relative to projectsDir: a slice when it lies below it, as every path the walk makes does
 *  (path.relative resolves both paths first, which cost a cold start ~30 ms for a thousand files). */
function below(projectsDir: string, path: string): string {
  return path.startsWith(projectsDir + sep)
    ? path.slice(projectsDir.length + 1)
    : relative(projectsDir, path);
}

export function projectOf(projectsDir: string, path: string): string {
  const rel = below(projectsDir, path);
  const first = rel.split(sep)[0] ?? '';
  return first === basename(path) ? '(root)' : first;
}

const AGENT_TRANSCRIPT = /^agent-.+\.jsonl$/;

/**
 * Whether a .jsonl file is a transcript, by where it sits under projects/: at the top or project level any
 * name is (sessions are named by uuid, older agents sit beside them); deeper, below a session dir, only
 * agent-*.jsonl is.
 */
export function isTranscriptPath(projectsDir: string, path: string): boolean {
  const depth = below(projectsDir, path).split(sep).length;
  return depth <= 2 || AGENT_TRANSCRIPT.test(basename(path));
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

export function discover(claudeDirs: readonly string[]): DiscoverResult {
  const files: FoundFile[] = [];
  const problems: Record<string, number> = {};
  const problemPaths: DiscoverResult['problemPaths'] = [];
  let ignored = 0;
  const problem = (reason: string, path: string): void => {
    problems[reason] = (problems[reason] ?? 0) + 1;
    problemPaths.push({ path, reason });
  };
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const usableDirs = claudeDirs.filter(hasProjectsDir);
  // Where a symlinked transcript may point: into a Claude dir, or its projects/ where that is a link itself.
  const roots = [
    ...new Set(
      usableDirs
        .flatMap((dir) => [realpathOrUndefined(dir), realpathOrUndefined(join(dir, 'projects'))])
        .filter((root) => root !== undefined),
    ),
  ];
  const insideRoots = (path: string): boolean => {
    const real = realpathOrUndefined(path);
    return (
      real !== undefined && roots.some((root) => real.startsWith(root.endsWith(sep) ? root : root + sep))
    );
  };

  for (const claudeDir of usableDirs) {
    const projectsDir = join(claudeDir, 'projects');
    const stack: string[] = [projectsDir];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let dirStat: Stats;
      try {
        dirStat = statSync(dir);
      } catch {
        problem('dir_unreadable', dir);
        continue;
      }
      const dirKey = `${dirStat.dev}:${dirStat.ino}`;
      if (seenDirs.has(dirKey)) {
        if (dir !== projectsDir) problem('symlink_loop_or_duplicate_dir', dir);
        continue;
      }
      seenDirs.add(dirKey);
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        problem('dir_unreadable', dir);
        continue;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          stack.push(path);
          continue;
        }
        const isJsonl = entry.name.endsWith('.jsonl');
        if (!entry.isSymbolicLink() && !isJsonl) continue;
        // Decided before the stat, so a journal that vanishes mid-walk is no problem of ours either.
        const transcript = isJsonl && isTranscriptPath(projectsDir, path);
        if (!entry.isSymbolicLink() && !transcript) {
          ignored++;
          continue;
        }
        let st: Stats;
        try {
          st = statSync(path);
        } catch {
          if (transcript) problem(entry.isSymbolicLink() ? 'broken_symlink' : 'file_vanished', path);
          else if (isJsonl) ignored++;
          continue;
        }
        if (st.isDirectory()) {
          stack.push(path);
          continue;
        }
        if (!isJsonl) continue;
        if (!transcript) {
          ignored++;
          continue;
        }
        if (!st.isFile()) {
          problem('not_a_regular_file', path);
          continue;
        }
        // A link named like a transcript is no way to read files from elsewhere (/etc, another user's home).
        if (entry.isSymbolicLink() && !insideRoots(path)) {
          problem('symlink_outside_claude_dirs', path);
          continue;
        }
        const fileKey = `${st.dev}:${st.ino}`;
        if (seenFiles.has(fileKey)) continue; // the same file reached through a symlink
        seenFiles.add(fileKey);
        files.push({
          path,
          claudeDir,
          project: projectOf(projectsDir, path),
          dev: st.dev,
          ino: st.ino,
          size: st.size,
          mtimeMs: st.mtimeMs,
        });
      }
    }
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  return { files, usableDirs, problems, problemPaths, ignored };
}
