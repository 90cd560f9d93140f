// Builds the browser app in web/ into dist/, which the Worker serves as static assets (SPA fallback in wrangler.toml).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Where `vite dev` forwards /api (HTTP and WebSocket): a running `wrangler dev` or `npm start`. */
const workerUrl = process.env.NIGHTONA_WORKER_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  optimizeDeps: {
    // Pre-bundled when the dev server starts, so the first page load does not trigger a re-optimize and reload.
    include: [
      "lit",
      "lit/directives/keyed.js",
      "partysocket/ws",
      "@xterm/xterm",
      "@xterm/addon-fit",
      "@xterm/addon-search",
      "@xterm/addon-unicode11",
      "@xterm/addon-web-links",
      "@xterm/addon-webgl",
    ],
  },
  server: {
    proxy: {
      // A pattern, not the prefix "/api", which would also catch the app's own module /api.ts.
      "^/api/": {
        target: workerUrl,
        ws: true,
        changeOrigin: true,
        // The Worker accepts WebSocket upgrades only from its own origin; the dev page's origin is Vite's.
        rewriteWsOrigin: true,
      },
    },
  },
});
