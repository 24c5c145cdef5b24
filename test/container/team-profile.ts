// What the container test needs for the compose file's team profile: a certificate and its key made with
// openssl into a directory the tls service mounts as CTM_TLS_DIR (docs/team.md, "A test"), a token file given as
// the ctm_ingest_tokens secret, an agent's OTLP request made by the agent's own record builder, and HTTPS and
// plain HTTP requests to the published TLS ports.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushRow } from '../../src/db/queries/push-rows.ts';
import { usageLogsRequest, type Identity } from '../../src/push/usage-log-records.ts';

export interface TeamFiles {
  dir: string;
  /** CTM_TLS_DIR: fullchain.pem and privkey.pem. */
  tlsDir: string;
  /** CTM_INGEST_TOKENS_FILE. */
  tokensFile: string;
  /** The certificate, to trust as its own CA. */
  ca: Buffer;
}

/** A self-signed pair for localhost and 127.0.0.1 and a one-machine token file, all readable by the services. */
export function teamFiles(machine: string, token: string): TeamFiles {
  const dir = mkdtempSync(join(tmpdir(), 'ctm-team-'));
  const tlsDir = join(dir, 'tls');
  mkdirSync(tlsDir);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(tlsDir, 'privkey.pem'),
      '-out',
      join(tlsDir, 'fullchain.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tokensFile = join(dir, 'tokens');
  writeFileSync(tokensFile, `${machine} ${token}\n`);
  // The front reads the key as uid 101 and the app the token file as uid 1000 (docs/team.md).
  chmodSync(dir, 0o755);
  chmodSync(tlsDir, 0o755);
  chmodSync(join(tlsDir, 'privkey.pem'), 0o644);
  chmodSync(tokensFile, 0o644);
  return { dir, tlsDir, tokensFile, ca: readFileSync(join(tlsDir, 'fullchain.pem')) };
}

/** One ctm.usage record, as an agent would push a row of its index, in the agent's own request body. */
export function agentRequest(identity: Identity, o: { id: string; ts: number; model: string }): string {
  const row: PushRow = {
    rowid: 1,
    key: o.id,
    messageId: o.id,
    requestId: `req_${o.id}`,
    advisorOf: null,
    ts: o.ts,
    model: o.model,
    sessionId: 'team-session-0',
    project: 'team',
    cwd: '/home/ana/team',
    gitBranch: null,
    version: null,
    isSidechain: 0,
    agentId: null,
    serviceTier: null,
    speed: null,
    geo: null,
    input: 1000,
    output: 500,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
    thinking: 0,
    webSearchRequests: 0,
    webFetchRequests: 0,
    costLoggedUsd: null,
  };
  return usageLogsRequest([row], [], identity, 0);
}

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function collect(resolve: (r: Reply) => void) {
  return (res: import('node:http').IncomingMessage) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (body += d));
    res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
  };
}

/** An HTTPS request trusting only `ca` (Node's own roots are not used). */
export function https(
  url: string,
  ca: Buffer,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, method: o.method ?? 'GET', headers: o.headers }, collect(resolve));
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A plain HTTP request (to a port that speaks TLS). */
export function plainHttp(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? 'GET', headers: o.headers }, collect(resolve));
    req.on('error', reject);
    req.end(o.body);
  });
}
