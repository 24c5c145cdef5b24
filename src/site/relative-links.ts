// Rewrites a page's root-absolute links for reading from disk: `/days/x/` → `../../days/x/index.html` relative
// to the page, assets likewise, and the module script as a classic deferred script (browsers refuse module
// scripts from file://; the site's bundle has no imports, so it runs the same). Pure: text in, text out.
const ATTR = /\b(href|src)="\/(?!\/)([^"]*)"/g;

export function relativeLinks(html: string, pagePath: string): string {
  const depth = pagePath.split('/').filter(Boolean).length - 1; // pagePath like days/x/index.html
  const up = depth > 0 ? '../'.repeat(depth) : './';
  return html
    .replace(ATTR, (_m, attr: string, rest: string) => {
      const cut = rest.search(/[?#]/);
      const path = cut === -1 ? rest : rest.slice(0, cut);
      const suffix = cut === -1 ? '' : rest.slice(cut);
      const file = path === '' || path.endsWith('/') ? `${path}index.html` : path;
      return `${attr}="${up}${file}${suffix}"`;
    })
    .replace(/<script type="module" src=/g, '<script defer src=');
}
