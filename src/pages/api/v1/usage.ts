// GET /api/v1/usage?from=&to=&groupBy=day|hour|model|project|session&tz=: sums for scripts; 400 names a bad
// parameter.
import type { APIRoute } from 'astro';
import { toResponse, usage } from '../../../server/api-responses.ts';
import { getRuntime } from '../../../server/runtime.ts';

export const prerender = false;

export const GET: APIRoute = ({ url }) => toResponse(usage(getRuntime(), url));
