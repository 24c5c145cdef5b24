import { describe, expect, it } from 'vitest';
import { isDynamic, routeLabel } from './route-label.ts';

describe('routeLabel', () => {
  it.each([
    ['/api/v1/live', '/api/v1/live'],
    ['/api/v1/live/', '/api/v1/live'],
    ['/api/v1/nope', '/api/other'],
    ['/metrics', '/metrics'],
    ['/live/', '/live/'],
    ['/_astro/x.js', 'asset'],
    ['/archive/20260101T000000Z/', 'archive'],
    ['/days/2026-01-01/', 'page'],
    ['/anything/at/all', 'page'],
  ])('%s → %s', (path, label) => {
    expect(routeLabel(path)).toBe(label);
  });

  it('sends only the on-demand paths to the SSR side', () => {
    expect(['/api/v1/health', '/live/', '/metrics'].every(isDynamic)).toBe(true);
    expect(['/', '/days/', '/livestock/', '/archive/'].some(isDynamic)).toBe(false);
  });
});
