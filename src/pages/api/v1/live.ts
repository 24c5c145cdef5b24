// GET /api/v1/live: today so far, the active 5-hour block, the last requests, current sessions, freshness.
import type { APIRoute } from 'astro';
import { live, toResponse } from '../../../server/api-responses.ts';
import { getRuntime } from '../../../server/runtime.ts';

export const prerender = false;

export const GET: APIRoute = () => toResponse(live(getRuntime()));
