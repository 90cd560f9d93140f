// Seeds Claude Code's config in a sandbox HOME so the real `claude` opens straight at its prompt.
import { mkdir, readFile, realpath, rename, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";

/** Claude Code identifies an approved API key by this many trailing characters of the trimmed key. */
const API_KEY_ID_CHARS = 20;

export interface ClaudeHomeOptions {
  /** The sandbox's HOME; claude reads `$HOME/.claude.json` and `$HOME/.claude/settings.json`. */
  home: string;
  /** The directory claude runs in; its realpath is marked trusted. Created when missing. */
  workspace: string;
  /** The environment claude will get: ANTHROPIC_API_KEY is pre-approved, CLAUDE_CONFIG_DIR moves the config. */
  env: Record<string, string>;
}

/**
 * Merges first-run answers into claude's global config and user settings, keeping every other key claude wrote.
 * Idempotent; safe to call before each spawn while claude is not running.
 */
export async function prepareClaudeHome(options: ClaudeHomeOptions): Promise<void> {
  await mkdir(options.workspace, { recursive: true });
  const workspace = await realpath(options.workspace);
  const configDir = options.env.CLAUDE_CONFIG_DIR || join(options.home, ".claude");
  const globalConfigFile = options.env.CLAUDE_CONFIG_DIR ? join(configDir, ".claude.json") : join(options.home, ".claude.json");
  const apiKey = options.env.ANTHROPIC_API_KEY?.trim();

  await updateJsonFile(globalConfigFile, (config) => {
    const projects = record(config.projects);
    const keyResponses = record(config.customApiKeyResponses);
    const approved = strings(keyResponses.approved);
    let rejected = strings(keyResponses.rejected);
    if (apiKey) {
      const keyId = apiKey.slice(-API_KEY_ID_CHARS);
      if (!approved.includes(keyId)) approved.push(keyId);
      rejected = rejected.filter((id) => id !== keyId);
    }
    return {
      ...config,
      // Skips the welcome flow, which also checks that api.anthropic.com is reachable (ANTHROPIC_BASE_URL or not).
      hasCompletedOnboarding: true,
      projects: {
        ...projects,
        [workspace]: { allowedTools: [], ...record(projects[workspace]), hasTrustDialogAccepted: true },
      },
      customApiKeyResponses: { ...keyResponses, approved, rejected },
    };
  });

  await updateJsonFile(join(configDir, "settings.json"), (settings) => ({
    ...settings,
    // Keeps the inline renderer; the fullscreen one uses the alternate screen and a more collapsed tool layout.
    tui: "default",
    // Counts as accepting the one-time "Bypass Permissions mode" warning of --dangerously-skip-permissions.
    skipDangerousModePermissionPrompt: true,
    // Keeps new-user tips out of the spinner area, where they print as a `⎿  Tip: …` row like a tool result.
    spinnerTipsEnabled: false,
    env: { ...record(settings.env), DISABLE_AUTOUPDATER: "1" },
  }));
}

/** Reads a JSON object (missing or unreadable → {}), applies `update`, and writes it back atomically. */
async function updateJsonFile(
  file: string,
  update: (value: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const current = await readJsonObject(file);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(update(current), null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

/** The object in `file`; a file that is not a JSON object is moved aside to `<file>.invalid` and counts as {}. */
async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return {};
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // Not JSON: set aside below.
  }
  await rename(file, `${file}.invalid`);
  return {};
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
