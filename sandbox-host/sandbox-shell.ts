// What a sandbox PTY runs: the login shell, its clean environment, the sandbox's shell profile, and the spawn itself.
import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";
import { userInfo } from "node:os";
import { spawn, type IPty } from "node-pty";
import { prepareClaudeHome } from "./claude-home";
import type { PtySessionSpec } from "./pty-session";
import type { SandboxPaths } from "./sandboxes";

/** Carries the PATH the host chose into the shell, whose login profile restores it after /etc/profile resets PATH. */
export const SANDBOX_PATH_VAR = "NIGHTONA_SANDBOX_PATH";

/** Login shell profile: restore the host-chosen PATH, then read .bashrc. */
const BASH_PROFILE = `# Written by the Nightona sandbox host. /etc/profile resets PATH; restore the one the host chose.
if [ -n "$${SANDBOX_PATH_VAR}" ]; then PATH="$${SANDBOX_PATH_VAR}"; export PATH; fi
if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
`;
/** Interactive shell settings: a short prompt and nothing slow. */
const BASHRC = `# Written by the Nightona sandbox host.
PS1='\\W \\$ '
HISTCONTROL=ignoreboth
`;
/** For sh-like login shells that skip .bash_profile. */
const PROFILE = `# Written by the Nightona sandbox host.
if [ -n "$${SANDBOX_PATH_VAR}" ]; then PATH="$${SANDBOX_PATH_VAR}"; export PATH; fi
PS1='$ '
`;

export interface ShellOptions {
  /** Absolute path of the shell binary. */
  shell: string;
  /** Directories put in front of the host's PATH. */
  extraPath: readonly string[];
}

/** Finds `shell` (a name or a path) on PATH; throws when it is not an executable file. */
export async function resolveShell(shell: string, pathVar: string): Promise<string> {
  const candidates = shell.includes("/") ? [shell] : pathVar.split(delimiter).filter(Boolean).map((dir) => join(dir, shell));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Try the next directory.
    }
  }
  throw new Error(`shell ${JSON.stringify(shell)} was not found or is not executable`);
}

/** The environment every process of a sandbox starts from; nothing of the host's own env leaks in except PATH. */
export function sandboxEnv(options: ShellOptions, home: string, sandboxVars: Record<string, string>): Record<string, string> {
  const path = [...options.extraPath, ...(process.env.PATH ?? "").split(delimiter)].filter(Boolean).join(delimiter);
  const user = currentUserName();
  return {
    PATH: path,
    HOME: home,
    SHELL: options.shell,
    ...(user ? { USER: user, LOGNAME: user } : {}),
    TERM: "xterm-256color",
    COLORTERM: "truecolor",
    LANG: "C.UTF-8",
    IS_SANDBOX: "1",
    ...sandboxVars,
  };
}

/** The PTY's env: the sandbox env overlaid with the client's envs, plus the PATH the login profile restores. */
export function ptyEnv(base: Record<string, string>, clientEnvs: Record<string, string>): Record<string, string> {
  const env = { ...base, ...clientEnvs };
  return { ...env, [SANDBOX_PATH_VAR]: env.PATH ?? "" };
}

/** Writes the shell profile into a new sandbox home, keeping files that are already there. */
export async function writeShellProfile(home: string): Promise<void> {
  const files: [string, string][] = [
    [".bash_profile", BASH_PROFILE],
    [".bashrc", BASHRC],
    [".profile", PROFILE],
  ];
  for (const [name, text] of files) {
    try {
      await writeFile(join(home, name), text, { flag: "wx" });
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
    }
  }
}

/** Starts `<shell> -i -l` on a PTY in the session's cwd, after preparing Claude's config with the PTY's env. */
export async function launchShell(
  options: ShellOptions,
  paths: SandboxPaths,
  base: Record<string, string>,
  spec: PtySessionSpec,
): Promise<IPty> {
  const env = ptyEnv(base, spec.envs);
  const cwd = await stat(spec.cwd).catch(() => null);
  if (!cwd?.isDirectory()) throw new Error(`working directory ${spec.cwd} does not exist`);
  await prepareClaudeHome({ home: env.HOME ?? paths.home, workspace: paths.workspace, env });
  return spawn(options.shell, ["-i", "-l"], {
    name: env.TERM ?? "xterm-256color",
    cols: spec.cols,
    rows: spec.rows,
    cwd: spec.cwd,
    env,
    encoding: null,
  });
}

/** Resolves a requested cwd against the workspace; absolute paths are taken as they are. */
export function resolveCwd(workspace: string, requested: string | null | undefined): string {
  if (!requested) return workspace;
  return isAbsolute(requested) ? requested : join(workspace, requested);
}

function currentUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
