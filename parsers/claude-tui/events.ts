// The events the Claude Code TUI parser emits: tool calls and Claude's state, as DESIGN.md "Parser events" defines them.

/** Where a tool call stands. `awaiting-permission` waits on a permission menu. */
export type ToolStatus = "running" | "awaiting-permission" | "done" | "error" | "denied" | "interrupted";

/** Statuses a call reaches at its end; it never goes back to running from one (it may move to another final one). */
export const FINAL_STATUSES: ReadonlySet<ToolStatus> = new Set(["done", "error", "denied", "interrupted"]);

/** One tool call as the parser currently sees it. */
export interface ToolRecord {
  /** Stable id for this call within one parser ("t1", "t2", …). */
  id: string;
  /** API tool name: Bash, Read, Write, Edit, Grep, Glob, WebFetch, WebSearch, Agent, TodoWrite, NotebookEdit, mcp__server__tool, … */
  tool: string;
  /** The main argument as shown (command, path, pattern, URL, description), unwrapped; "" when the TUI never showed it. */
  target: string;
  status: ToolStatus;
  /** The first result line, or the collapsed summary the call was folded into. */
  summary?: string;
  /** Stream offset (bytes) of the frame in which the call first showed. */
  start: number;
  /** Stream offset (bytes) of the frame in which it reached a final status. */
  end?: number;
}

/** Sent whenever a call appears or any of its fields change. */
export interface ToolEvent extends ToolRecord {
  type: "tool";
}

export type ClaudeState = "starting" | "idle" | "busy" | "awaiting-permission" | "exited";

/** One choice of a permission menu and the keys that pick it. */
export interface MenuOption {
  label: string;
  /** Bytes to send to the PTY, e.g. "1", "\r" or "\x1b". */
  keys: string;
}

export interface StateEvent {
  type: "state";
  state: ClaudeState;
  /** The permission menu, when `state` is `awaiting-permission`. */
  options?: MenuOption[];
}

export type ParserEvent = ToolEvent | StateEvent;
