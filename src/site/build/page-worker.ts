// A render process of `ctm build` (page-workers.ts forks one per core). It opens its own snapshot of the
// index and loads its pages' data while Astro compiles the server bundle; once the bundle is there, it renders
// each page through the bundle's handler (render-page.ts) into the staging release, with the CSV files of its
// tables beside it (from the same data), and reports its figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inheritedConfig } from '../../config-channel.ts';
import { loadPage, pageCsvFiles, pageFile, type Page } from '../pages.ts';
import { openSiteContext } from '../site-context.ts';
import { loadBundle, renderPage } from './render-page.ts';
import type { FromPageWorker, ToPageWorker } from './page-workers.ts';

const send = (message: FromPageWorker) => process.send!(message);
// How often the pages written so far are reported while rendering (the build's progress lines).
const PROGRESS_EVERY_MS = 200;
const write = (file: string, html: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
};

let pages: Page[] | undefined;
let render: { entry: string; root: string } | undefined;
let wake: () => void = () => {};
const nextMessage = () => new Promise<void>((resolve) => (wake = resolve));

async function run(): Promise<void> {
  const startedAt = Date.now();
  const ctx = openSiteContext(inheritedConfig(process.env), true);
  while (!pages) await nextMessage();
  const loaded = new Map<number, object | undefined>();
  // Load ahead until the bundle is built, one page per turn of the event loop so its message is seen at once.
  for (let i = 0; i < pages.length && !render; i++) {
    loaded.set(i, loadPage({ ...ctx, now: Date.now() }, pages[i]!));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const preloaded = loaded.size;
  const loadedAt = Date.now();
  while (!render) await nextMessage();
  const renderAt = Date.now();
  const handler = await loadBundle(render.entry);
  let written = 0;
  let missing = 0;
  let reportedAt = renderAt;
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i]!;
    const data = loaded.has(i) ? loaded.get(i) : loadPage({ ...ctx, now: Date.now() }, page);
    loaded.delete(i);
    // A page whose key this snapshot does not have (the list was read from another one) is left out.
    if (!data) {
      missing++;
      continue;
    }
    write(join(render.root, pageFile(page)), await renderPage(handler, page, data));
    for (const { file, text } of pageCsvFiles(page, data)) write(join(render.root, file), text);
    written++;
    if (Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = Date.now();
      send({ type: 'progress', written });
    }
  }
  send({ type: 'done', written, missing, preloaded, startedAt, loadedAt, renderAt, finishedAt: Date.now() });
}

process.on('message', (message: ToPageWorker) => {
  if (message.type === 'pages') pages = message.pages;
  else render = message;
  wake();
});
// `ctm build` gone (failed, stopped): nobody will publish what this process would write.
process.on('disconnect', () => process.exit(1));
run().then(
  () => process.disconnect(),
  (error: unknown) => {
    send({ type: 'failed', message: (error as Error)?.stack ?? String(error) });
    process.exitCode = 1;
    process.disconnect();
  },
);
