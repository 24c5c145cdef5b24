// One request, in two steps on two threads. decodeBody (the decoder thread): the body inflated (never beyond
// the body cap: a small gzip that unpacks to gigabytes is a 413), decoded as OTLP JSON or protobuf (a 400
// naming the problem) and mapped to rows for the token's machine (a 403 when it claims another). writeBatch
// (the writer thread): the rows written in one transaction. Decoding the next request while the last is
// written keeps both cores busy.
import { gunzipSync } from 'node:zlib';
import { isCounted, rejectionMessage, mapRecords, type HubBatch } from './hub-records.ts';
import type { Config } from '../config.ts';
import type { HubStore } from './hub-store.ts';
import type { BodyJob, FromHubDecoder, HubOutcome } from './hub-messages.ts';
import { decodeOtlpJson } from './otlp-json.ts';
import { OtlpFormatError, OtlpTooLargeError, type ResourceLogsIn } from './otlp-logs.ts';
import { decodeOtlpProtobuf } from './otlp-protobuf.ts';

export function decodeBody(
  job: BodyJob,
  config: Pick<Config, 'ingestMaxBytes' | 'ingestMaxRecords'>,
  now = Date.now(),
): FromHubDecoder {
  const maxBytes = config.ingestMaxBytes;
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
  // Only the records of a kind the hub counts are kept past decoding; the rest are counted as ignored.
  const limits = { maxRecords: config.ingestMaxRecords, keep: isCounted };
  try {
    resources =
      job.wire === 'json'
        ? decodeOtlpJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength), limits)
        : decodeOtlpProtobuf(body, limits);
  } catch (error) {
    if (error instanceof OtlpTooLargeError)
      return {
        type: 'refused',
        id: job.id,
        status: 413,
        message: `${error.message}${error.limit === 'records' ? ' (CTM_INGEST_MAX_RECORDS)' : ''}; send fewer records per request`,
      };
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
  return { type: 'decoded', id: job.id, batch: mapped.batch, at: now };
}

export function writeBatch(
  store: HubStore,
  id: number,
  batch: HubBatch,
  at: number,
): Extract<HubOutcome, { type: 'written' }> {
  const written = store.write(batch, at);
  let rejected = 0;
  for (const n of batch.rejected.values()) rejected += n;
  return {
    type: 'written',
    id,
    accepted: written.accepted,
    duplicates: written.duplicates,
    ignored: batch.ignored,
    rejected,
    message: rejectionMessage(batch.rejected),
    changes: written.changes.toJSON(),
    at,
  };
}
