// Astro builds the report pages (prerendered from SQLite) and the on-demand live routes (@astrojs/node in
// middleware mode, mounted by `ctm start`'s own HTTP server next to the published static site).
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'middleware' }),
  trailingSlash: 'always',
  build: { format: 'directory' },
  outDir: process.env.CTM_ASTRO_OUT_DIR || './dist',
  vite: {
    ssr: { external: ['better-sqlite3'] },
  },
});
