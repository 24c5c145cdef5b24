// The page served in place of the site while there is none yet: "building your reports…" (refreshes itself
// every few seconds until the first build lands) or the "no Claude Code data found" state. No scripts and no
// inline style, so it passes the site's strict CSP; the refresh is a meta tag, the style a stylesheet of its
// own under /_astro/ (content-hashed, and nginx hands /_astro/ paths missing from the site to the app).
import { createHash } from 'node:crypto';
import { escapeHtml } from '../format/escape-html.ts';

export const STATUS_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;color:#1d2433;background:#f6f7f9}
main{max-width:36rem;padding:2rem}
h1{font-size:1.4rem;margin:0 0 .5rem}
code{background:#e8ebf0;padding:.1rem .3rem;border-radius:3px}
@media (prefers-color-scheme:dark){body{background:#14171c;color:#e3e6eb}code{background:#262b33}}
`;
export const STATUS_CSS_PATH = `/_astro/ctm-status.${createHash('sha256').update(STATUS_CSS).digest('hex').slice(0, 10)}.css`;

export function statusPage(o: {
  title: string;
  message: string;
  detail?: string;
  refreshSeconds: number;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${o.refreshSeconds}">
<title>${escapeHtml(o.title)} · ctm</title>
<link rel="stylesheet" href="${STATUS_CSS_PATH}">
</head>
<body>
<main>
<h1>${escapeHtml(o.title)}</h1>
<p>${escapeHtml(o.message)}</p>
${o.detail ? `<p><small>${escapeHtml(o.detail)}</small></p>` : ''}
<p><small>This page checks again every ${o.refreshSeconds} seconds. Live figures: <a href="/api/v1/health">/api/v1/health</a>.</small></p>
</main>
</body>
</html>
`;
}
