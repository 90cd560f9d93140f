// Node suite: the protocol codec, plain session and web classes, the local sandbox host, and test fixtures.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["parsers/**/*.test.ts", "worker/**/*.test.ts", "web/**/*.test.ts", "sandbox-host/**/*.test.ts", "snapshot/**/*.test.ts", "scripts/**/*.test.ts", "test/fixtures/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
