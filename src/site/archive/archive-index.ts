// The /archive/ listing: every snapshot with its date, size and .tar.gz download. Pure HTML, relative links,
// no scripts, one stylesheet next to it.
import { escapeHtml } from '../../format/escape-html.ts';
import { formatBytes } from '../../format/number.ts';
import { plural } from '../../format/plural.ts';

export interface SnapshotEntry {
  id: string;
  takenAt: number;
  siteBytes: number;
  tarBytes: number;
}

export function archiveIndex(entries: SnapshotEntry[]): string {
  const rows = entries
    .map(
      (
        e,
      ) => `<tr><td><a href="${escapeHtml(e.id)}/index.html">${escapeHtml(new Date(e.takenAt).toISOString().replace('T', ' ').slice(0, 19))} UTC</a></td>
<td class="num">${formatBytes(e.siteBytes)}</td>
<td><a href="${escapeHtml(e.id)}.tar.gz" download>${escapeHtml(e.id)}.tar.gz</a> (${formatBytes(e.tarBytes)})</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Archived reports · ctm</title><link rel="stylesheet" href="archive.css"></head>
<body><header><p><a href="../">← Current reports</a></p></header><main>
<h1>Archived reports</h1>
<p>Each snapshot is the complete report site as it was, browsable here or offline after downloading.</p>
<table><caption>${plural(entries.length, 'snapshot')}, newest first; times in UTC</caption>
<thead><tr><th scope="col">Taken</th><th scope="col" class="num">Size</th><th scope="col">Download</th></tr></thead>
<tbody>
${rows}
</tbody></table></main></body></html>
`;
}

// The site's page, text and link colours (site.css), light and dark: left to the browser, dark mode's links
// were not legible enough on its background.
export const ARCHIVE_CSS = `:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.45}
body{max-width:900px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #8884}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
body{background:#f6f7f9;color:#1b1f24}a{color:#3151b7}
@media (prefers-color-scheme:dark){body{background:#0f1318;color:#e6e9ed}a{color:#8fb0ff}}
`;
