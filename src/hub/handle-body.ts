// One request body → its outcome, in the hub writer thread: inflated (never beyond the body cap: a small
// gzip that unpacks to gigabytes is a 413), decoded as OTLP JSON or protobuf (a 400 naming the problem),
// mapped to rows for the token's machine (a 403 when it claims another), and written in one transaction.
import { gunzipSync } from 'node:zlib';
import { rejectionMessage, mapRecords } from './hub-records.ts';
import type { HubStore } from './hub-store.ts';
import type { HubOutcome, ToHubWriter } from './hub-messages.ts';
import { decodeOtlpJson } from './otlp-json.ts';
import { OtlpFormatError, type ResourceLogsIn } from './otlp-logs.ts';
import { decodeOtlpProtobuf } from './otlp-protobuf.ts';

export function handleBody(
  store: HubStore,
  job: Extract<ToHubWriter, { type: 'write' }>,
  maxBytes: number,
  now = Date.now(),
): HubOutcome {
  let body: Uint8Array = job.body;
  if (job.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
        return {
          type: 'refused',
          id: job.id,
          status: 413,
          message: `inflated body larger than ${maxBytes} bytes`,
        };
      return { type: 'refused', id: job.id, status: 400, message: `not gzip: ${(error as Error).message}` };
    }
  }
  let resources: ResourceLogsIn[];
  try {
    resources = job.wire === 'json' ? decodeOtlpJson(Buffer.from(body)) : decodeOtlpProtobuf(body);
  } catch (error) {
    if (!(error instanceof OtlpFormatError)) throw error;
    return {
      type: 'refused',
      id: job.id,
      status: 400,
      message: `malformed OTLP logs request: ${error.message}`,
    };
  }
  const mapped = mapRecords(resources, job.machine, now);
  if (!mapped.ok) return { type: 'refused', id: job.id, status: 403, message: mapped.forbidden };
  const { batch } = mapped;
  const written = store.write(batch, now);
  let rejected = 0;
  for (const n of batch.rejected.values()) rejected += n;
  return {
    type: 'written',
    id: job.id,
    accepted: written.accepted,
    duplicates: written.duplicates,
    ignored: batch.ignored,
    rejected,
    message: rejectionMessage(batch.rejected),
    changes: written.changes.toJSON(),
    at: now,
  };
}
