// Maps what the TUI shows for a call (`Update(notes.txt)`, `Search(pattern: "x")`, `weather - get_weather (MCP)(…)`) to the API tool name and its main argument.

export interface ToolIdentity {
  /** API tool name. */
  tool: string;
  /** The main argument as shown, "" when none. */
  target: string;
}

/** Display name → API name, for names that differ or that older versions used. */
const DISPLAY_NAMES: Record<string, string> = {
  Update: "Edit",
  Edit: "Edit",
  MultiEdit: "MultiEdit",
  Fetch: "WebFetch",
  WebFetch: "WebFetch",
  "Web Search": "WebSearch",
  WebSearch: "WebSearch",
  Task: "Agent",
  Agent: "Agent",
  List: "LS",
  LS: "LS",
  "Update Todos": "TodoWrite",
  TodoWrite: "TodoWrite",
  "Read Notebook": "NotebookRead",
  NotebookRead: "NotebookRead",
  "Edit Notebook": "NotebookEdit",
  NotebookEdit: "NotebookEdit",
};

/** Tool names Claude Code draws as headers; with colours off, only these count as headers. */
export const KNOWN_DISPLAY_NAMES: ReadonlySet<string> = new Set([
  "Bash",
  "Read",
  "Write",
  "Search",
  "Grep",
  "Glob",
  "Skill",
  "BashOutput",
  "KillShell",
  "NotebookEdit",
  ...Object.keys(DISPLAY_NAMES),
]);

/** Argument keys holding the main argument, in order of preference. */
const TARGET_KEYS = ["pattern", "url", "query", "file_path", "notebook_path", "path", "command", "description", "prompt"];
/** `key: value` pairs in verbose headers: a quoted string or a bare run up to the next comma. */
const KEY_VALUE = /(?:^|,\s*)([\w-]+):\s*("(?:[^"\\]|\\.)*"?|[^,]*)/gu;
/** Characters that only a regular expression uses: their presence makes a Search a Grep. */
const REGEX_ONLY = /[\\()|^$+]|\.\*/u;
/** Characters of a glob pattern. */
const GLOB_CHARS = /[*?{}[\]]/u;
/** `server - tool (MCP)` display names. */
const MCP_NAME = /^(?<server>.+?) - (?<tool>.+?) \(MCP\)$/u;

/**
 * The identity of a header: `name` as drawn before `(`, `args` the text inside the parentheses (the closing `)`
 * already removed by the caller when it was seen).
 */
export function identify(name: string, args: string): ToolIdentity {
  const mcp = MCP_NAME.exec(name);
  if (mcp) return { tool: `mcp__${slug(mcp.groups?.server ?? "")}__${slug(mcp.groups?.tool ?? "")}`, target: firstValue(args) };
  if (name === "Search" || name === "Grep" || name === "Glob") return searchIdentity(name, args);
  const tool = DISPLAY_NAMES[name] ?? name;
  if (tool === "Bash") return { tool, target: args.trim() };
  // 2.1.x draws a notebook edit as `Edit Notebook(path@cell)`.
  if (tool === "NotebookEdit") return { tool, target: unquote(args.trim()).replace(/@[\w-]+$/u, "") };
  const pairs = keyValues(args);
  if (pairs.size > 0) return { tool, target: preferred(pairs) };
  return { tool, target: unquote(args.trim()) };
}

/** MCP server and tool names as the API spells them. */
function slug(text: string): string {
  return text.trim().replace(/\s+/gu, "_");
}

function searchIdentity(name: string, args: string): ToolIdentity {
  const pairs = keyValues(args);
  const pattern = pairs.get("pattern") ?? unquote(args.trim());
  if (name !== "Search") return { tool: name, target: pattern };
  const extraKeys = [...pairs.keys()].some((key) => key !== "pattern" && key !== "path");
  const looksGlob = GLOB_CHARS.test(pattern) && !REGEX_ONLY.test(pattern);
  return { tool: extraKeys || !looksGlob ? "Grep" : "Glob", target: pattern };
}

function keyValues(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  if (!/^[\w-]+:\s/u.test(args.trim())) return pairs;
  for (const match of args.trim().matchAll(KEY_VALUE)) {
    const key = match[1];
    if (key !== undefined && !pairs.has(key)) pairs.set(key, unquote((match[2] ?? "").trim()));
  }
  return pairs;
}

function preferred(pairs: Map<string, string>): string {
  for (const key of TARGET_KEYS) {
    const value = pairs.get(key);
    if (value !== undefined) return value;
  }
  return pairs.values().next().value ?? "";
}

function firstValue(args: string): string {
  const pairs = keyValues(args);
  return pairs.size > 0 ? (pairs.values().next().value ?? "") : unquote(args.trim());
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(["\\])/gu, "$1");
  }
  return text.startsWith('"') ? text.slice(1) : text;
}
