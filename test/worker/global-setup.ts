// Starts the local sandbox host for the workerd suite and hands its API URL to the Worker's bindings.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startSandboxHost } from "../../sandbox-host/server";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), "nightona-worker-test-"));
  const host = await startSandboxHost({ port: 0, dataDir, extraPath: [resolve("node_modules/.bin")] });
  project.provide("sandboxApiUrl", host.apiUrl);
  return async () => {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
