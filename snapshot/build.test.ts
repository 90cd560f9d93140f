// `npm run snapshot` as a person runs it: --print needs no account, building without DAYTONA_API_KEY says what to do.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildImage } from "./image";

const run = promisify(execFile);
const BUILD_SCRIPT = fileURLToPath(new URL("./build.ts", import.meta.url));

/** Runs the script with tsx under this Node, without any Daytona variable. */
async function snapshotCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DAYTONA_")));
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", BUILD_SCRIPT, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run snapshot", () => {
  it("prints the generated Dockerfile with --print", async () => {
    const result = await snapshotCli("--print");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe((await buildImage()).dockerfile);
  });

  it("refuses to build without DAYTONA_API_KEY and names the way out", async () => {
    const result = await snapshotCli();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("DAYTONA_API_KEY is not set");
    expect(result.stderr).toContain("npm run snapshot -- --print");
  });
});
