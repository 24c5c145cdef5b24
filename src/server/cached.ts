// A one-entry cache per name on the runtime: the value is recomputed when its key (ingest generation plus
// the current second) changes. Keeps the hot API routes at one SQL round per commit or second, not per request.
import type { Runtime } from './runtime.ts';

export function cached<T>(rt: Runtime, name: string, key: string, compute: () => T): T {
  const hit = rt.cache.get(name);
  if (hit && hit.key === key) return hit.value as T;
  const value = compute();
  rt.cache.set(name, { key, value });
  return value;
}
