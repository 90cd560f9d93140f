// Ground truth for a recorded session: the tool_use blocks the scripted server sent, with the outcome claude logged for each.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SentToolUse } from "../fixtures/scripted-anthropic";

/** Final status of a tool call, as the parser reports it. */
export type TruthStatus = "done" | "error" | "denied" | "interrupted";

export interface TruthTool {
  /** tool_use id the server generated. */
  id: string;
  /** API tool name (`Bash`, `Read`, `mcp__server__tool`, …). */
  name: string;
  /** The main argument: command, path, pattern, URL, query or description. */
  target: string;
  /** The input fields that matter for matching (large file contents left out). */
  input: Record<string, unknown>;
  status: TruthStatus;
  /** Script tag that sent it. */
  script: string;
  /** Sent to a subagent: its calls do not appear as top-level calls in the TUI. */
  nested?: boolean;
  /** The start of the tool_result claude logged, when it logged one. */
  result?: string;
}

/** Input keys holding the main argument, by tool, in order of preference. */
const TARGET_KEYS: Record<string, readonly string[]> = {
  Bash: ["command"],
  Read: ["file_path"],
  Write: ["file_path"],
  Edit: ["file_path"],
  MultiEdit: ["file_path"],
  NotebookEdit: ["notebook_path"],
  Grep: ["pattern"],
  Glob: ["pattern"],
  WebFetch: ["url"],
  WebSearch: ["query"],
  Agent: ["description"],
  Task: ["description"],
};
/** Input values longer than this are cut in the truth file, in characters. */
const MAX_INPUT_CHARS = 200;
/** Logged results are cut to this in the truth file, in characters. */
const MAX_RESULT_CHARS = 160;

export function mainTarget(name: string, input: unknown): string {
  const record = isRecord(input) ? input : {};
  for (const key of TARGET_KEYS[name] ?? []) {
    const value = record[key];
    if (typeof value === "string") return value;
  }
  const first = Object.values(record).find((value): value is string => typeof value === "string");
  return first ?? "";
}

/** A tool_result as claude logged it in its session transcript. */
interface LoggedResult {
  text: string;
  isError: boolean;
}

/** Reads every transcript (`*.jsonl`) under the config dir's projects folder: tool_use id → result. */
export async function readToolResults(projectsDir: string): Promise<Map<string, LoggedResult>> {
  const results = new Map<string, LoggedResult>();
  for (const file of await jsonlFiles(projectsDir)) {
    for (const line of (await readFile(file, "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      const message = isRecord(entry) ? entry.message : undefined;
      const content = isRecord(message) ? message.content : undefined;
      if (!Array.isArray(content)) continue;
      for (const block of content) {
        if (!isRecord(block) || block.type !== "tool_result" || typeof block.tool_use_id !== "string") continue;
        results.set(block.tool_use_id, { text: resultText(block.content), isError: block.is_error === true });
      }
    }
  }
  return results;
}

/**
 * A key the user pressed that stops calls: a "No"/Esc answer to a permission dialog (deny) or Esc/Ctrl-C while
 * something runs (interrupt), with how many tool_use blocks the server had sent by then.
 */
export interface StopMark {
  kind: "deny" | "interrupt";
  sentBefore: number;
}

/**
 * The status a logged result stands for. Claude logs the same "doesn't want to proceed" text for a denial and for
 * an interrupt, so the first stop mark after the call was sent decides; a call without a result was interrupted.
 */
export function statusOf(result: LoggedResult | undefined, stop: StopMark | undefined): TruthStatus {
  if (!result) return "interrupted";
  if (/doesn't want to (?:proceed|take this action)|was rejected|user rejected|interrupted by user/i.test(result.text)) return stop?.kind === "interrupt" ? "interrupted" : "denied";
  // 2.0.x cancels the siblings of an interrupted parallel call with an error result.
  if (stop?.kind === "interrupt" && /\bcancel+ed\b/i.test(result.text)) return "interrupted";
  return result.isError ? "error" : "done";
}

export function truthTools(
  sent: readonly SentToolUse[],
  results: Map<string, LoggedResult>,
  nestedScripts: ReadonlySet<string>,
  marks: readonly StopMark[],
): TruthTool[] {
  return sent.map((use, index) => {
    const tool: TruthTool = {
      id: use.id,
      name: use.name,
      target: mainTarget(use.name, use.input),
      input: trimInput(use.input),
      status: statusOf(results.get(use.id), marks.find((mark) => mark.sentBefore > index)),
      script: use.script,
    };
    if (nestedScripts.has(use.script)) tool.nested = true;
    const logged = results.get(use.id);
    if (logged) tool.result = logged.text.slice(0, MAX_RESULT_CHARS);
    return tool;
  });
}

function trimInput(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) return {};
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [key, typeof value === "string" && value.length > MAX_INPUT_CHARS ? `${value.slice(0, MAX_INPUT_CHARS)}…` : value]),
  );
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join("\n");
  return "";
}

async function jsonlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".jsonl")).map((entry) => join(entry.parentPath, entry.name));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
