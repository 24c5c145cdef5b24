// Astro builds the server bundle (@astrojs/node in middleware mode) and the assets, and prerenders nothing:
// `ctm build` renders every report page through that bundle's handler (src/site/build/), and `ctm start`
// mounts it for the live routes. Output and caches go where `ctm build` points them (the data dir), because
// the app's own files may be on a read-only filesystem.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'middleware' }),
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'never' },
  outDir: process.env.CTM_ASTRO_OUT_DIR || './dist',
  cacheDir: process.env.CTM_ASTRO_CACHE_DIR || './node_modules/.astro',
  devToolbar: { enabled: false },
  vite: {
    cacheDir: process.env.CTM_VITE_CACHE_DIR || './node_modules/.vite',
    ssr: { external: ['better-sqlite3'] },
    build: { assetsInlineLimit: 0 },
  },
});
