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
  server: {
    proxy: {
      "/api": {
        target: workerUrl,
        ws: true,
        changeOrigin: true,
        // The Worker accepts WebSocket upgrades only from its own origin; the dev page's origin is Vite's.
        rewriteWsOrigin: true,
      },
    },
  },
});
