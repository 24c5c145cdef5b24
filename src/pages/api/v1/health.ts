// GET /api/v1/health: 200 ok, or 503 degraded with the reason.
import type { APIRoute } from 'astro';
import { health, toResponse } from '../../../server/api-responses.ts';
import { getRuntime } from '../../../server/runtime.ts';

export const prerender = false;

export const GET: APIRoute = () => toResponse(health(getRuntime()));
