// The `route` label of ctm_http_request_duration_seconds: a small fixed set, so that arbitrary request paths
// can never blow up the metric's cardinality.
const API = new Set(['/api/v1/health', '/api/v1/live', '/api/v1/usage', '/api/v1/stream']);

export function routeLabel(pathname: string): string {
  if (API.has(pathname) || API.has(pathname.replace(/\/$/, ''))) return pathname.replace(/\/$/, '');
  if (pathname.startsWith('/api/')) return '/api/other';
  if (pathname === '/metrics' || pathname === '/metrics/') return '/metrics';
  if (pathname === '/live' || pathname === '/live/') return '/live/';
  if (pathname.startsWith('/_astro/')) return 'asset';
  if (pathname.startsWith('/archive/') || pathname === '/archive') return 'archive';
  return 'page';
}

/** Paths the Astro SSR handler answers; everything else is a file of the published site. */
export function isDynamic(pathname: string): boolean {
  return (
    pathname.startsWith('/api/') ||
    pathname === '/metrics' ||
    pathname === '/metrics/' ||
    pathname === '/live' ||
    pathname.startsWith('/live/')
  );
}
