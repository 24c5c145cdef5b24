// GET /metrics: Prometheus text format from the shared registry.
import type { APIRoute } from 'astro';
import { metrics, toResponse } from '../server/api-responses.ts';
import { getRuntime } from '../server/runtime.ts';

export const prerender = false;

export const GET: APIRoute = async () => toResponse(await metrics(getRuntime()));
