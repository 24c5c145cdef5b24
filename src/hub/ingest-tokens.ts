// CTM_INGEST_TOKENS: the file of `<machine> <token>` lines (or `<machine> sha256:<hex of the token's SHA-256>`,
// so the hub need not hold the secret itself) that says who may send records and as which machine. A token
// is bound to its machine name: whatever a request claims, its records are that machine's. Tokens are kept
// only as hashes and compared in constant time against every entry; no message here ever contains one.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.ts';

const SETTING = 'CTM_INGEST_TOKENS';
export const MACHINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Shorter secrets are refused: a token is a password a script guesses online. */
export const MIN_TOKEN_LENGTH = 16;

export interface TokenEntry {
  machine: string;
  hash: Buffer;
}

export interface TokenBook {
  machines: string[];
  /** The machine a bearer token belongs to, or null. Takes the same time whichever entry (if any) matches. */
  machineOf(token: string): string | null;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Parses the file's text; errors name the line, never its token. */
export function parseTokenFile(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 2)
      throw new ConfigError(SETTING, `${where}: expected "<machine> <token>" or "<machine> sha256:<hex>"`);
    const [machine, secret] = parts as [string, string];
    if (!MACHINE_NAME.test(machine))
      throw new ConfigError(
        SETTING,
        `${where}: "${machine}" is not a machine name (letters, digits, . _ -, at most 64)`,
      );
    if (names.has(machine)) throw new ConfigError(SETTING, `${where}: machine "${machine}" is listed twice`);
    let hash: Buffer;
    if (secret.startsWith('sha256:')) {
      const hex = secret.slice('sha256:'.length);
      if (!/^[0-9a-f]{64}$/i.test(hex))
        throw new ConfigError(SETTING, `${where}: sha256: must be followed by 64 hex digits`);
      hash = Buffer.from(hex, 'hex');
    } else {
      if (secret.length < MIN_TOKEN_LENGTH)
        throw new ConfigError(SETTING, `${where}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
      hash = sha256(secret);
    }
    const key = hash.toString('hex');
    if (hashes.has(key)) throw new ConfigError(SETTING, `${where}: the same token is given to two machines`);
    names.add(machine);
    hashes.add(key);
    entries.push({ machine, hash });
  });
  if (entries.length === 0) throw new ConfigError(SETTING, `${source} lists no machine`);
  return entries;
}

export function tokenBook(entries: readonly TokenEntry[]): TokenBook {
  return {
    machines: entries.map((e) => e.machine),
    machineOf(token) {
      const presented = sha256(token);
      let found: string | null = null;
      // Every entry is compared, so the time taken says nothing about which one matched.
      for (const e of entries) if (timingSafeEqual(presented, e.hash) && found === null) found = e.machine;
      return found;
    },
  };
}

export function loadTokenBook(path: string): TokenBook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      SETTING,
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return tokenBook(parseTokenFile(text, path));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : null;
}
