// Global setup of the workerd suite: runs the local sandbox host as its own Node process and hands its API URL to the Worker.
// (A child process, because this module is resolved with the Workers conditions, under which `ws` is a browser stub.)
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

const READY_TIMEOUT_MS = 20_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), "nightona-worker-test-"));
  // No app dev servers: this suite creates many sandboxes and never looks at a running app.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "sandbox-host/main.ts", "--port", "0", "--data", dataDir, "--path", resolve("node_modules/.bin"), "--no-dev-servers"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error("sandbox host did not start")), READY_TIMEOUT_MS);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    child.once("exit", (code) => fail(new Error(`sandbox host exited with ${code}: ${output}`)));
  });
  project.provide("sandboxApiUrl", `${url}/api`);
  return async () => {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    sandboxApiUrl: string;
  }
}
