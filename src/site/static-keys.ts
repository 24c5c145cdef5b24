// The route keys of a build, read once per build process and shared by every route's getStaticPaths (the
// twin routes never use it: they render whatever path they are asked for).
import { routeKeys, type RouteKeys } from '../db/queries/route-keys.ts';
import { siteContext } from './site-context.ts';

let keys: RouteKeys | undefined;

export function staticKeys(): RouteKeys {
  if (!keys) {
    const { db, filter } = siteContext();
    keys = routeKeys(db, filter.timezone);
  }
  return keys;
}
