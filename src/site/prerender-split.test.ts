import { describe, expect, it } from 'vitest';
import { HELPER_SINGLETONS, helperRenders } from './prerender-split.ts';

describe('helperRenders', () => {
  it('gives the helper every listing and the overview, with or without the trailing slash', () => {
    for (const path of HELPER_SINGLETONS) {
      expect(helperRenders(path)).toBe(true);
      expect(helperRenders(path === '/' ? '/' : path.slice(0, -1))).toBe(true);
    }
  });

  it('keeps the 404 page and anything that is no report page with Astro', () => {
    for (const path of ['/404', '/live/', '/archive/', '/api/v1/live', '/days/2026-01-01/extra/x'])
      expect(helperRenders(path, 100)).toBe(path.startsWith('/days/'));
  });

  it('splits the dynamic pages by the given share, the same way every time', () => {
    const paths = Array.from(
      { length: 4000 },
      (_, i) => `/sessions/${i.toString(16).padStart(8, '0')}-5e55/`,
    );
    const taken = paths.filter((p) => helperRenders(p, 50)).length;
    expect(taken).toBeGreaterThan(1800);
    expect(taken).toBeLessThan(2200);
    expect(paths.filter((p) => helperRenders(p, 0))).toEqual([]);
    expect(paths.filter((p) => helperRenders(p, 100))).toEqual(paths);
    expect(paths.map((p) => helperRenders(p))).toEqual(paths.map((p) => helperRenders(p)));
    expect(helperRenders('/days/2026-11-21')).toBe(helperRenders('/days/2026-11-21/'));
  });
});
