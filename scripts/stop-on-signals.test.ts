import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightona-signals-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A process that closes slowly on a signal and leaves a file behind once it has closed. */
async function startSlowCloser(): Promise<{ child: ReturnType<typeof spawn>; closedFile: string }> {
  const closedFile = join(dir, "closed");
  const script = join(dir, "closer.ts");
  await writeFile(
    script,
    `import { writeFileSync } from "node:fs";
import { stopOnSignals } from ${JSON.stringify(join(import.meta.dirname, "stop-on-signals.ts"))};
stopOnSignals(async () => {
  await new Promise((done) => setTimeout(done, 300));
  writeFileSync(${JSON.stringify(closedFile)}, "closed");
});
setInterval(() => undefined, 1000);
console.log("ready");
`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((ready) => child.stdout!.once("data", () => ready()));
  return { child, closedFile };
}

describe("stopOnSignals", () => {
  it("finishes closing when Ctrl-C arrives twice (the terminal's group and tsx both send it)", async () => {
    const { child, closedFile } = await startSlowCloser();
    const exited = new Promise<[number | null, string | null]>((done) => child.once("exit", (code, signal) => done([code, signal])));
    child.kill("SIGINT");
    await new Promise((done) => setTimeout(done, 50));
    child.kill("SIGINT");
    expect(await exited).toEqual([0, null]);
    expect(existsSync(closedFile)).toBe(true);
  });

  it("closes on SIGTERM too", async () => {
    const { child, closedFile } = await startSlowCloser();
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(closedFile)).toBe(true);
  });
});
