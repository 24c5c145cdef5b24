// One OTLP/HTTP request from an agent to its hub: the JSON body gzip-compressed, the token as a bearer header,
// the answer sorted into what the agent does next: accepted (with OTLP's partial success), try again later
// (429, 502–504, no answer, a timeout), too large (halve the batch), or refused (a bad token, another
// machine's name, a body the hub cannot read, a certificate not trusted: no retry helps until someone changes
// the configuration).
import { gzipSync } from 'node:zlib';

export type PostOutcome =
  | { kind: 'accepted'; rejected: number; message: string }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  | { kind: 'too-large'; reason: string }
  | { kind: 'refused'; status: number; reason: string };

const RETRYABLE = new Set([408, 429, 502, 503, 504]);
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID/;

export function logsEndpoint(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/logs`;
}

function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

async function reason(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return `${res.status}: ${status.message}`;
  } catch {
    // not a JSON Status: the start of the text will do
  }
  return `${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

export async function postLogs(
  endpoint: string,
  token: string,
  json: string,
  timeoutMs = 30_000,
): Promise<PostOutcome> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${token}`,
      },
      body: gzipSync(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    // A certificate this machine does not trust is not a passing fault: say so instead of retrying.
    if (cause !== undefined && CERTIFICATE.test(cause))
      return {
        kind: 'refused',
        status: 0,
        reason: `TLS: ${cause} (trust the hub's CA with NODE_EXTRA_CA_CERTS; see docs/team.md)`,
      };
    return { kind: 'retry', reason: cause ?? (error as Error).message, retryAfterMs: null };
  }
  if (res.status === 200) {
    const body = (await res.json().catch(() => ({}))) as {
      partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string };
    };
    return {
      kind: 'accepted',
      rejected: Number(body.partialSuccess?.rejectedLogRecords ?? 0),
      message: body.partialSuccess?.errorMessage ?? '',
    };
  }
  if (RETRYABLE.has(res.status))
    return {
      kind: 'retry',
      reason: await reason(res),
      retryAfterMs: retryAfter(res.headers.get('retry-after')),
    };
  if (res.status === 413) return { kind: 'too-large', reason: await reason(res) };
  return { kind: 'refused', status: res.status, reason: await reason(res) };
}
