// A page's data handed in by the prerender helper through Astro.locals (it loads pages while Astro compiles);
// a page rendered by Astro itself finds none and loads its own.
export interface PreloadedLocals {
  ctmPage?: object;
}

export function preloaded<T>(locals: object): T | undefined {
  return (locals as PreloadedLocals).ctmPage as T | undefined;
}
