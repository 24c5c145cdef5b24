// GET /api/v1/live: today so far, the active 5-hour block, the last requests, current sessions, freshness.
import type { APIRoute } from 'astro';
import { liveResponse } from '../../../server/api-responses.ts';
import { getRuntime } from '../../../server/runtime.ts';

export const prerender = false;

export const GET: APIRoute = () => liveResponse(getRuntime());
