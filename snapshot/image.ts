// The Daytona snapshot every sandbox starts from, declared with the SDK's Image builder: Node 22 on Debian, git,
// ripgrep, a pinned Claude Code with its first-run answers, and the starter app whose dev server serves port 3000.
import { Image } from "@daytonaio/sdk";
import packageJson from "../package.json" with { type: "json" };
import { API_KEY_ID_CHARS, withFirstRunConfig, withNightonaSettings } from "./claude-settings";
import { PREVIEW_PORT } from "./preview";
import { type TemplateFile, templateFiles } from "./template";

/** The Claude Code version the local stack runs too (package.json), so both behave alike for the parser. */
export const CLAUDE_CODE_VERSION = packageJson.dependencies["@anthropic-ai/claude-code"];
/** Node 22 on Debian 12 (bookworm, glibc: Claude Code ships a glibc x86-64 binary). */
export const BASE_IMAGE = "node:22-bookworm";
/** Bump when the image changes without a new Claude Code version. */
const IMAGE_REVISION = 1;
/** The snapshot's name: set it as the Worker's DAYTONA_SNAPSHOT. */
export const SNAPSHOT_NAME = `nightona-claude-${CLAUDE_CODE_VERSION}-r${IMAGE_REVISION}`;
/** Resources of every sandbox made from the snapshot: vCPUs, GiB of memory, GiB of disk. */
export const SNAPSHOT_RESOURCES = { cpu: 2, memory: 4, disk: 10 } as const;

export const SANDBOX_USER = "daytona";
export const HOME_DIR = `/home/${SANDBOX_USER}`;
/** The workspace: where the PTY starts, where Claude works, and the app the preview shows. */
export const APP_DIR = `${HOME_DIR}/app`;
/** The entrypoint: keeps the app's dev server running (see DEV_SERVER_SCRIPT). */
export const DEV_SERVER_BIN = "/usr/local/bin/nightona-dev-server";
const APPROVE_KEY_SCRIPT = "/usr/local/lib/nightona/approve-api-key.mjs";
const APPROVE_KEY_PROFILE = "/etc/profile.d/nightona-claude-key.sh";
/** Seconds between restarts of a dev server that exited (a broken config Claude is still fixing, a taken port). */
const DEV_SERVER_RESTART_S = 3;

/** Environment of every process in the sandbox. */
export const IMAGE_ENV = {
  // Keeps Claude Code's inline renderer: the full-screen one switches to the alternate screen.
  CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN: "1",
  DISABLE_AUTOUPDATER: "1",
  TERM: "xterm-256color",
  COLORTERM: "truecolor",
  LANG: "C.UTF-8",
} as const;

/**
 * The dev server is the image's entrypoint, in a restart loop, rather than a pm2 process: Daytona runs the
 * entrypoint on every sandbox start (so the server survives stop/start and auto-stop), the loop restarts it when it
 * exits (Claude breaking and fixing vite.config.js, or taking the port and releasing it), and nothing else needs
 * installing, pinning or supervising. Its output is the entrypoint's log (`sandbox.process.getEntrypointLogs()`).
 */
const DEV_SERVER_SCRIPT = `#!/bin/sh
# Nightona: keeps the workspace app's dev server on port ${PREVIEW_PORT}; restarted whenever it exits.
cd ${APP_DIR} || exit 1
while true; do
  if [ -f package.json ]; then
    [ -d node_modules ] || npm install --no-audit --no-fund
    npm run dev
  fi
  sleep ${DEV_SERVER_RESTART_S}
done
`;

/**
 * Approves the PTY's ANTHROPIC_API_KEY in Claude's config when a login shell starts, as the local host does before
 * each spawn (claude-home.ts): with an unapproved key, claude asks first and defaults to "No". The key itself is
 * only ever in the PTY's environment, never in the image.
 */
const APPROVE_KEY_MJS = `// Nightona: pre-approves $ANTHROPIC_API_KEY for Claude Code (its last ${API_KEY_ID_CHARS} characters).
import { readFileSync, writeFileSync } from "node:fs";
const file = process.env.HOME + "/.claude.json";
const keyId = (process.env.ANTHROPIC_API_KEY ?? "").trim().slice(-${API_KEY_ID_CHARS});
let config = {};
try { config = JSON.parse(readFileSync(file, "utf8")); } catch {}
const responses = config.customApiKeyResponses ?? {};
const approved = (responses.approved ?? []).filter((id) => id !== keyId).concat(keyId);
const rejected = (responses.rejected ?? []).filter((id) => id !== keyId);
writeFileSync(file, JSON.stringify({ ...config, customApiKeyResponses: { ...responses, approved, rejected } }, null, 2));
`;
const APPROVE_KEY_SH = `# Nightona: approve the session's Anthropic API key for Claude Code.
if [ -n "$ANTHROPIC_API_KEY" ]; then node ${APPROVE_KEY_SCRIPT} 2>/dev/null; fi
`;

/** Builds the image definition; reads the template from this repository. */
export async function buildImage(template?: TemplateFile[]): Promise<Image> {
  const appFiles = template ?? (await templateFiles());
  // Trusted: the app (the workspace) and the home folder (a PTY whose cwd Daytona leaves at HOME).
  const claudeConfig = withFirstRunConfig(withFirstRunConfig({}, HOME_DIR), APP_DIR);
  return Image.base(BASE_IMAGE)
    .runCommands(
      // bsdutils has `script`, which records the PTY's output for the room's durable log (worker/sandbox-recording.ts);
      // util-linux has `fallocate`, which gives back the disk space of what the room no longer needs of it
      // (worker/recording-trim.ts).
      "apt-get update && apt-get install -y --no-install-recommends " +
        "git ripgrep bsdutils util-linux sudo ca-certificates && rm -rf /var/lib/apt/lists/*",
      `useradd -m -s /bin/bash ${SANDBOX_USER} && echo "${SANDBOX_USER} ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/91-${SANDBOX_USER}`,
      // Runs the package's install script, which fetches the native binary for this platform.
      `npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} && npm cache clean --force`,
      writeFileCommand(DEV_SERVER_BIN, DEV_SERVER_SCRIPT, "755"),
      writeFileCommand(APPROVE_KEY_SCRIPT, APPROVE_KEY_MJS),
      writeFileCommand(APPROVE_KEY_PROFILE, APPROVE_KEY_SH),
      writeFileCommand(`${HOME_DIR}/.claude.json`, json(claudeConfig), "600"),
      writeFileCommand(`${HOME_DIR}/.claude/settings.json`, json(withNightonaSettings({}))),
      ...appFiles.map((file) => writeFileCommand(`${APP_DIR}/${file.path}`, file.content)),
      `chown -R ${SANDBOX_USER}:${SANDBOX_USER} ${HOME_DIR}`,
      `su ${SANDBOX_USER} -c "cd ${APP_DIR} && npm install --no-audit --no-fund && git init -q && git add -A && ` +
        `git -c user.name=Nightona -c user.email=nightona@localhost commit -qm 'Starter app'"`,
    )
    .env({ ...IMAGE_ENV })
    .dockerfileCommands([`USER ${SANDBOX_USER}`, `EXPOSE ${PREVIEW_PORT}`])
    .workdir(APP_DIR)
    .entrypoint([DEV_SERVER_BIN]);
}

/**
 * A RUN step that writes `content` to `path` (ending it with a newline), creating its folder: one single-quoted
 * `printf` argument per line, so the printed Dockerfile stays readable and nothing in the file (quotes, `$`,
 * backticks) reaches the shell.
 */
export function writeFileCommand(path: string, content: string, mode?: string): string {
  const folder = path.slice(0, path.lastIndexOf("/")) || "/";
  const lines = content.endsWith("\n") ? content.slice(0, -1).split("\n") : content.split("\n");
  const args = lines.map((line) => `'${line.replaceAll("'", `'\\''`)}'`).join(" ");
  const chmod = mode ? ` && chmod ${mode} ${path}` : "";
  return `mkdir -p ${folder} && printf '%s\\n' ${args} > ${path}${chmod}`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
