// Builds the agent console (index.html), the demo customer page with the chat widget
// (widget.html), the widget alone for embedding (widget/frame.html) and its loader for other
// websites (widget/loader.js, a stable name) into console/dist, which the API serves. In development the Vite server proxies
// REST and WebSocket traffic to the API so the browser sees one origin (no CORS, same cookies).
/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  // vue-i18n's compile-time flags: composition API only (no legacy API, no global components),
  // the runtime message compiler kept (it interprets messages, no eval: the CSP allows no
  // 'unsafe-eval'), no devtools in production.
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        widget: fileURLToPath(new URL('./widget.html', import.meta.url)),
        'widget-frame': fileURLToPath(new URL('./widget/frame.html', import.meta.url)),
        loader: fileURLToPath(new URL('./src/widget/loader.ts', import.meta.url)),
      },
      output: {
        // The loader's URL goes into customers' pages, so it keeps one name (no hash); it imports
        // nothing, so it is one classic script.
        entryFileNames: (chunk) => (chunk.name === 'loader' ? 'widget/loader.js' : 'assets/[name]-[hash].js'),
        // Name the chunks both pages share; the widget must not pull in the console's router.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](vue|@vue)[\\/]|plugin-vue:export-helper/ },
            { name: 'i18n', test: /node_modules[\\/](vue-i18n|@intlify)[\\/]/ },
            { name: 'shared', test: /console[\\/]src[\\/](shared|i18n|realtime)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    // A second console on another port would silently talk to the wrong proxy target.
    strictPort: true,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: true },
      '/ws': { target: apiUrl, ws: true, changeOrigin: true },
    },
  },
  // Used by `vitest run --root console`; the unit tests are pure modules and need no DOM.
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
