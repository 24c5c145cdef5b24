// Astro builds the report pages (prerendered from SQLite) and the on-demand routes (@astrojs/node in
// middleware mode, mounted by `ctm start`'s own HTTP server next to the published static site). Caches go where
// `ctm build` points them (the data dir), because the app's own files may be on a read-only filesystem.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { splitPrerender } from './src/site/split-prerender.ts';

export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'middleware' }),
  integrations: [splitPrerender()],
  trailingSlash: 'always',
  build: {
    format: 'directory',
    inlineStylesheets: 'never',
    concurrency: Number(process.env.CTM_BUILD_CONCURRENCY) || 8,
  },
  outDir: process.env.CTM_ASTRO_OUT_DIR || './dist',
  cacheDir: process.env.CTM_ASTRO_CACHE_DIR || './node_modules/.astro',
  devToolbar: { enabled: false },
  vite: {
    cacheDir: process.env.CTM_VITE_CACHE_DIR || './node_modules/.vite',
    ssr: { external: ['better-sqlite3'] },
    build: { assetsInlineLimit: 0 },
  },
});
