// How the panel names tools: their family (for the icon), a readable label, and a target short enough for one line.

/** Families of tools that share an icon. */
export type ToolFamily = "terminal" | "file" | "search" | "web" | "agent" | "todo" | "mcp" | "other";

const FAMILIES: Record<string, ToolFamily> = {
  Bash: "terminal",
  BashOutput: "terminal",
  KillShell: "terminal",
  KillBash: "terminal",
  Read: "file",
  Write: "file",
  Edit: "file",
  MultiEdit: "file",
  NotebookRead: "file",
  NotebookEdit: "file",
  LS: "file",
  Grep: "search",
  Glob: "search",
  WebFetch: "web",
  WebSearch: "web",
  Agent: "agent",
  Task: "agent",
  TodoWrite: "todo",
};

/** Families whose target is a path. */
const PATH_TOOLS: ReadonlySet<string> = new Set(["Read", "Write", "Edit", "MultiEdit", "NotebookRead", "NotebookEdit", "LS"]);
/** Paths longer than this (characters) show only their last segments. */
const LONG_PATH_CHARS = 36;
/** Segments a long path keeps. */
const KEPT_SEGMENTS = 2;

export function toolFamily(tool: string): ToolFamily {
  if (tool.startsWith("mcp__")) return "mcp";
  return FAMILIES[tool] ?? "other";
}

/** The name to show: `mcp__server__tool` reads `server · tool`; other names as they are. */
export function toolLabel(tool: string): string {
  if (!tool.startsWith("mcp__")) return tool;
  const [server = "", ...rest] = tool.slice("mcp__".length).split("__");
  const name = rest.join("__");
  return name ? `${server} · ${name}` : server || tool;
}

/** The target for a one-line row: a long path keeps its last segments (`…/workspace/hello.txt`); the rest is CSS's to cut. */
export function shortTarget(tool: string, target: string): string {
  if (!PATH_TOOLS.has(tool) || target.length <= LONG_PATH_CHARS) return target;
  const segments = target.split("/").filter((segment) => segment !== "");
  if (segments.length <= KEPT_SEGMENTS) return target;
  return `…/${segments.slice(-KEPT_SEGMENTS).join("/")}`;
}
