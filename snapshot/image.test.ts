import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { withFirstRunConfig, withNightonaSettings } from "./claude-settings";
import { APP_DIR, BASE_IMAGE, buildImage, DEV_SERVER_BIN, HOME_DIR, writeFileCommand } from "./image";
import { PREVIEW_PORT } from "./preview";
import { templateFiles } from "./template";

let dockerfile: string;
let scratch: string;

beforeAll(async () => {
  dockerfile = (await buildImage()).dockerfile;
  scratch = await mkdtemp(join(tmpdir(), "nightona-image-test-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the Dockerfile's step that writes `path`, with the file redirected into the scratch folder; returns what it wrote. */
async function runWriteStep(path: string): Promise<string> {
  const step = dockerfile.split("\n").find((line) => line.startsWith("RUN mkdir -p ") && line.includes(` > ${path}`));
  if (!step) throw new Error(`no step writes ${path}`);
  const target = join(scratch, path.replaceAll("/", "_"));
  const command = step
    .slice("RUN ".length)
    .replace(/^mkdir -p \S+ && /, "")
    .replace(` > ${path}`, ` > '${target}'`)
    .replace(/ && chmod \d+ \S+$/, "");
  execFileSync("sh", ["-c", command]);
  return readFile(target, "utf8");
}

function lines(prefix: string): string[] {
  return dockerfile.split("\n").filter((line) => line.startsWith(prefix));
}

describe("the snapshot image", () => {
  it("is Node 22 on Debian with git, ripgrep and the recorder of the durable output log", () => {
    expect(dockerfile.split("\n")[0]).toBe(`FROM ${BASE_IMAGE}`);
    expect(BASE_IMAGE).toMatch(/^node:22[.-].*bookworm/);
    const install = lines("RUN apt-get")[0];
    for (const tool of ["git", "ripgrep", "bsdutils", "util-linux"]) expect(install).toMatch(new RegExp(`apt-get install .*\\b${tool}\\b`));
  });

  it("installs the Claude Code version package.json pins", () => {
    const pinned = packageJson.dependencies["@anthropic-ai/claude-code"];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(dockerfile).toContain(`npm install -g @anthropic-ai/claude-code@${pinned} `);
  });

  it("seeds Claude's first-run answers from the same source as the local host", async () => {
    const config = JSON.parse(await runWriteStep(`${HOME_DIR}/.claude.json`)) as Record<string, unknown>;
    expect(config).toEqual(withFirstRunConfig(withFirstRunConfig({}, HOME_DIR), APP_DIR));
    expect(config.hasCompletedOnboarding).toBe(true);
    expect(config.projects).toMatchObject({ [APP_DIR]: { hasTrustDialogAccepted: true } });
    const settings = JSON.parse(await runWriteStep(`${HOME_DIR}/.claude/settings.json`)) as Record<string, unknown>;
    expect(settings).toEqual(withNightonaSettings({}));
    expect(settings).toMatchObject({ tui: "default", env: { DISABLE_AUTOUPDATER: "1" } });
    expect(dockerfile).toContain("ENV DISABLE_AUTOUPDATER=1\n");
    expect(dockerfile).toContain("ENV CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN=1\n");
  });

  it("approves the PTY's API key at login the way the local host does", async () => {
    const script = await runWriteStep("/usr/local/lib/nightona/approve-api-key.mjs");
    const home = await mkdtemp(join(scratch, "home-"));
    const key = "sk-ant-api03-image-test-0123456789abcdefghij";
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { HOME: home, ANTHROPIC_API_KEY: ` ${key} ` } });
    const written = JSON.parse(await readFile(join(home, ".claude.json"), "utf8")) as Record<string, unknown>;
    const expected = withFirstRunConfig({}, "/unused", key).customApiKeyResponses;
    expect(written.customApiKeyResponses).toEqual(expected);
    expect(await runWriteStep("/etc/profile.d/nightona-claude-key.sh")).toContain('if [ -n "$ANTHROPIC_API_KEY" ]');
  });

  it("puts every template file in the workspace, byte for byte, and installs its packages", async () => {
    const files = await templateFiles();
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(["package.json", "index.html", "src/main.js"]));
    for (const file of files) expect(await runWriteStep(`${APP_DIR}/${file.path}`)).toBe(file.content);
    expect(dockerfile).toMatch(new RegExp(`cd ${APP_DIR} && npm install`));
    expect(dockerfile).toContain(`WORKDIR ${APP_DIR}\n`);
    expect(dockerfile).toContain("USER daytona\n");
  });

  it("starts the app's dev server on the preview port from the entrypoint", async () => {
    expect(dockerfile.trimEnd().split("\n").at(-1)).toBe(`ENTRYPOINT ["${DEV_SERVER_BIN}"]`);
    const script = await runWriteStep(DEV_SERVER_BIN);
    expect(script).toMatch(/while true; do[\s\S]*npm run dev[\s\S]*done/);
    const appPackage = JSON.parse((await templateFiles()).find((file) => file.path === "package.json")!.content) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(appPackage.scripts.dev).toContain(`--port ${PREVIEW_PORT} --strictPort`);
    expect(appPackage.scripts.dev).toContain("--host 0.0.0.0");
    expect(appPackage.devDependencies.vite).toBe(packageJson.dependencies.vite);
  });
});

describe("writeFileCommand", () => {
  it("writes any text exactly, quotes and shell syntax included", async () => {
    const content = "a 'quoted' \"line\" with $HOME, `date` and \\n\n\n  indented\\\nlast";
    const target = join(scratch, "tricky.txt");
    execFileSync("sh", ["-c", writeFileCommand(target, content)]);
    expect(await readFile(target, "utf8")).toBe(`${content}\n`);
    execFileSync("sh", ["-c", writeFileCommand(target, `${content}\n`)]);
    expect(await readFile(target, "utf8")).toBe(`${content}\n`);
  });
});
