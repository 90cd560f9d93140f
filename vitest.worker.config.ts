// workerd suite: the Worker and SessionRoom inside the real runtime, against the local sandbox host started by global setup.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ADMIN_TOKEN, TEST_SIGNING_KEY } from "./test/worker/test-secrets";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DAYTONA_API_URL: inject<string>("sandboxApiUrl"),
          DEFAULT_COMMAND: "bash",
          // Small enough that tests see the log wrap and the room fall asleep.
          OUTPUT_LOG_BYTES: String(1024 * 1024),
          IDLE_DETACH_SECONDS: "3",
          LINK_SIGNING_KEY: TEST_SIGNING_KEY,
          ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        },
      },
    })),
  ],
  test: {
    include: ["test/worker/**/*.test.ts"],
    globalSetup: ["test/support/sandbox-host-setup.ts"],
    testTimeout: 30_000,
  },
});
