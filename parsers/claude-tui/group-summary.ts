// Parses 2.1.x folded-group summaries ("Searched for 1 pattern, read 3 files · 1 failed") and item lines into calls by kind.
import { identify, type ToolIdentity } from "./tool-names";

/** The kind of call a group counts: `call:<server>` for MCP calls. */
export type GroupCategory = string;

export interface GroupPart {
  category: GroupCategory;
  /** Calls of this kind the summary counts. */
  count: number;
  /** API tool name of such a call (`mcp__<server>` when the MCP tool is not named). */
  tool: string;
}

export interface GroupSummary {
  parts: GroupPart[];
  /** Calls the summary says failed. */
  failed: number;
}

const PART = /^(?<verb>reading|read|searching for|searched for|listing|listed|running|ran|calling|called|fetching|fetched|writing|wrote|editing|edited|updating|updated|creating|created)\s+(?:(?<count>\d+)\s+\S+|(?<subject>\S+)(?:\s+(?<times>\d+)\s+times?)?)$/iu;
const FAILED = /·\s*(?<failed>\d+)\s+(?:failed|errors?)/u;
/** Shell commands that a 2.1.x group counts as reading, listing or searching. */
const READ_COMMANDS = /^(?:cat|head|tail|less|more|bat|wc|nl|sed\s+-n)\b/u;
const LIST_COMMANDS = /^(?:ls|find|tree|du|stat)\b/u;
const SEARCH_COMMANDS = /^(?:grep|rg|ag|ack|egrep|fgrep)\b/u;

export function parseGroupSummary(text: string): GroupSummary {
  const failed = Number(FAILED.exec(text)?.groups?.failed ?? "0");
  const body = text
    .replace(/\s*\(ctrl\+[or] to expand\)\s*$/u, "")
    .replace(/…/gu, "")
    .replace(/\s*·.*$/u, "")
    .trim();
  const parts: GroupPart[] = [];
  for (const piece of body.split(/,\s*/u)) {
    const match = PART.exec(piece.trim());
    if (!match?.groups) continue;
    const verb = (match.groups.verb ?? "").toLowerCase();
    const subject = match.groups.subject ?? "";
    const count = Number(match.groups.count ?? match.groups.times ?? "1");
    const category = categoryOfVerb(verb, subject);
    parts.push({ category, count, tool: toolOfCategory(category) });
  }
  return { parts, failed };
}

function categoryOfVerb(verb: string, subject: string): GroupCategory {
  if (verb.startsWith("read")) return "read";
  if (verb.startsWith("search")) return "search";
  if (verb.startsWith("list")) return "list";
  if (verb.startsWith("ran") || verb.startsWith("running")) return "run";
  if (verb.startsWith("fetch")) return "fetch";
  if (verb.startsWith("call")) return `call:${subject}`;
  if (verb.startsWith("writ") || verb.startsWith("creat")) return "write";
  return "edit";
}

export function toolOfCategory(category: GroupCategory): string {
  switch (category) {
    case "read":
      return "Read";
    case "search":
      return "Grep";
    case "list":
    case "run":
      return "Bash";
    case "fetch":
      return "WebFetch";
    case "write":
      return "Write";
    case "edit":
      return "Edit";
    default:
      return `mcp__${category.slice("call:".length)}`;
  }
}

/** The group category a member call counts toward: shell commands by what they do. */
export function categoryOfCall(tool: string, target: string): GroupCategory {
  if (tool === "Bash") {
    const command = target.trim();
    if (READ_COMMANDS.test(command)) return "read";
    if (LIST_COMMANDS.test(command)) return "list";
    if (SEARCH_COMMANDS.test(command)) return "search";
    return "run";
  }
  if (tool === "Read") return "read";
  if (tool === "Grep" || tool === "Glob") return "search";
  if (tool === "WebFetch") return "fetch";
  if (tool === "Write") return "write";
  if (tool === "Edit") return "edit";
  if (tool.startsWith("mcp__")) return `call:${tool.slice("mcp__".length).split("__")[0] ?? ""}`;
  return "run";
}

/** What a group's item line names: `$ command`, a quoted search pattern, or a path read. */
export function itemIdentity(item: string, tools: readonly string[]): ToolIdentity {
  const shell = /^\$\s+(?<command>.*)$/u.exec(item);
  if (shell) return { tool: "Bash", target: shell.groups?.command ?? "" };
  if (item.startsWith('"') || (!tools.includes("Read") && tools.includes("Grep"))) return identify("Search", item);
  if (tools.includes("Read")) return { tool: "Read", target: item };
  return { tool: tools[0] ?? "Read", target: item };
}

/** Whether a call of `tool` can be one a group counts under `category`. */
export function counts(tool: string, category: GroupCategory | undefined): boolean {
  if (category === undefined) return false;
  if (tool === "Bash") return category === "read" || category === "list" || category === "search" || category === "run";
  if (tool === "Grep" || tool === "Glob") return category === "search";
  return categoryOfCall(tool, "") === category;
}
