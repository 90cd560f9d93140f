// Seeds Claude Code's config in a sandbox HOME so the real `claude` opens straight at its prompt.
import { mkdir, readFile, realpath, rename, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { withFirstRunConfig, withNightonaSettings } from "../snapshot/claude-settings";

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
  await updateJsonFile(globalConfigFile, (config) => withFirstRunConfig(config, workspace, options.env.ANTHROPIC_API_KEY));
  await updateJsonFile(join(configDir, "settings.json"), withNightonaSettings);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
