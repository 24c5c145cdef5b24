// GET /api/v1/stream: server-sent events, one per ingest commit, plus heartbeats.
import type { APIRoute } from 'astro';
import { getRuntime } from '../../../server/runtime.ts';
import { streamResponse } from '../../../server/sse-stream.ts';

export const prerender = false;

export const GET: APIRoute = ({ request }) => streamResponse(getRuntime(), request);
