// Indexes agent-<id>.meta.json, which Claude Code writes beside each subagent transcript, into subagents: the
// subagent's agentType and, when given, its description. A meta file is read only when its size, mtime or
// inode changed since this process last saw it (one stat per agent transcript otherwise). A malformed one is
// skipped and counted, never thrown, and the row from its last good version stays; a missing one is no error.
import { closeSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import * as v from 'valibot';
import type { Db } from '../src/db/open.ts';

const AGENT_TRANSCRIPT = /^agent-(.+)\.jsonl$/;
const AGENT_PATH = /[\\/]agent-[^\\/]+\.jsonl$/;
/** How much of a transcript is searched for its sessionId (the first line carries it early). */
const HEAD_BYTES = 64 * 1024;

const subagentMetaSchema = v.object({
  agentType: v.nullish(v.string()),
  description: v.nullish(v.string()),
});

export interface SubagentMetaResult {
  /** Meta files read and stored this time. */
  indexed: number;
  /** Meta files that are not a JSON object of string fields, by path. */
  malformed: string[];
}

export interface SubagentMetaIndex {
  /** Looks at the meta files beside these transcripts (watch mode), or beside every present one. */
  index(transcripts?: Iterable<string>): SubagentMetaResult;
}

interface AgentTranscript {
  path: string;
  claudeDir: string;
}

/**
 * The session a subagent belongs to: the session dir it sits under (<session>/subagents/…, at any depth), or
 * for agent-<id>.jsonl beside its session, the sessionId its own lines carry.
 */
export function subagentSession(claudeDir: string, transcript: string): string | null {
  const rel = relative(join(claudeDir, 'projects'), transcript).split(sep);
  if (rel.length >= 3) return rel[1]!;
  return sessionIdInHead(transcript);
}

function sessionIdInHead(path: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const m = /"sessionId"\s*:\s*"([^"\\]+)"/.exec(buffer.toString('utf8', 0, n));
    return m ? m[1]! : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const signatureOf = (st: Stats): string => `${st.size}:${st.mtimeMs}:${st.ino}`;

type MetaFields = v.InferOutput<typeof subagentMetaSchema>;

function parseMeta(text: string): MetaFields | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (Array.isArray(json)) return undefined;
    const result = v.safeParse(subagentMetaSchema, json);
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}

export function createSubagentMetaIndex(db: Db): SubagentMetaIndex {
  // size:mtime:inode per meta path as last read; kept for malformed files too, so they are counted once.
  const seen = new Map<string, string>();
  const allAgents = db.prepare(
    `SELECT path, claude_dir AS claudeDir FROM files
     WHERE missing_since IS NULL AND path LIKE '%agent-%.jsonl'`,
  );
  const oneFile = db.prepare(
    'SELECT path, claude_dir AS claudeDir FROM files WHERE path = ? AND missing_since IS NULL',
  );
  const upsert = db.prepare(
    `INSERT INTO subagents (session_id, agent_id, agent_type, description) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, agent_id) DO UPDATE
       SET agent_type = excluded.agent_type, description = excluded.description`,
  );

  const candidates = (transcripts?: Iterable<string>): AgentTranscript[] => {
    if (!transcripts) return allAgents.all() as AgentTranscript[];
    const out: AgentTranscript[] = [];
    for (const path of transcripts) {
      if (!AGENT_PATH.test(path)) continue;
      const row = oneFile.get(path) as AgentTranscript | undefined;
      if (row) out.push(row);
    }
    return out;
  };

  return {
    index(transcripts) {
      const result: SubagentMetaResult = { indexed: 0, malformed: [] };
      const rows: [string, string, string | null, string | null][] = [];
      const read = new Map<string, string>();
      for (const { path, claudeDir } of candidates(transcripts)) {
        // The common case (unchanged) stays at a regex test, one string and one stat per transcript.
        if (!AGENT_PATH.test(path)) continue;
        const metaPath = path.slice(0, -'.jsonl'.length) + '.meta.json';
        let st: Stats | undefined;
        let text: string;
        try {
          // No exception for a missing file: agents of older layouts have none.
          st = statSync(metaPath, { throwIfNoEntry: false });
          if (!st) {
            seen.delete(metaPath); // looked for again next time
            continue;
          }
          if (seen.get(metaPath) === signatureOf(st)) continue;
          text = readFileSync(metaPath, 'utf8');
        } catch {
          continue; // unreadable, or gone since the stat: looked at again next time
        }
        const signature = signatureOf(st);
        const agentId = AGENT_TRANSCRIPT.exec(basename(path))![1]!;
        const meta = parseMeta(text);
        if (!meta) {
          seen.set(metaPath, signature);
          result.malformed.push(metaPath);
          continue;
        }
        // Without a session (an agent file beside its session with no sessionId yet) it is tried again.
        const sessionId = subagentSession(claudeDir, path);
        if (!sessionId) continue;
        read.set(metaPath, signature);
        rows.push([sessionId, agentId, meta.agentType ?? null, meta.description ?? null]);
      }
      if (rows.length > 0) db.transaction(() => rows.forEach((r) => upsert.run(...r)))();
      // Only once committed: a failed write is tried again on the next pass.
      for (const [metaPath, signature] of read) seen.set(metaPath, signature);
      result.indexed = rows.length;
      return result;
    },
  };
}
