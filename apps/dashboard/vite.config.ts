import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The dashboard builds into dist/dashboard, which the server's api role serves at `/`.
 * `base: '/'`: client routes such as /events/42 load assets by absolute path.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(__dirname, '../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // `npx vite --config apps/dashboard/vite.config.ts` against a server on :3000.
    proxy: { '/graphql': 'http://127.0.0.1:3000' },
  },
});
