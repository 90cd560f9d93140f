// The scenario language of the recorder: what a recorded session sets up, what the scripted model sends, and what the user does.
import { join } from "node:path";
import type { ScriptedBlock, ScriptedTurn } from "../fixtures/scripted-anthropic";

/** Claude Code release lines the corpus covers. */
export type VersionLine = "2.0" | "2.1";

/** A way to answer a permission menu: by meaning (the option's label), or Enter / Esc. */
export type Answer = "yes" | "no" | "enter" | "esc" | "always";

/** One thing the simulated user does, in order. */
export type Step =
  /** Waits for the idle prompt, types the text, presses Enter. */
  | { do: "prompt"; text: string }
  /** Waits for a permission dialog and picks an option: by meaning, or by raw keys. */
  | { do: "answer"; choose: Answer }
  /** Answers every permission dialog the same way until claude is idle. */
  | { do: "answer-all"; choose: Answer; timeoutMs?: number }
  /** Waits until the viewport matches. */
  | { do: "wait"; for: RegExp; timeoutMs?: number }
  /** Sends raw keys now (only with one release line when `only` is set). */
  | { do: "keys"; keys: string; only?: VersionLine }
  /** Waits for the idle prompt. */
  | { do: "idle"; timeoutMs?: number }
  | { do: "resize"; cols: number; rows: number }
  | { do: "pause"; ms: number };

export interface Scenario {
  name: string;
  /** What the session exercises, one line. */
  about: string;
  cols: number;
  rows: number;
  verbose: boolean;
  /** `default` answers prompts; `bypass` runs with --dangerously-skip-permissions. */
  mode: "default" | "bypass";
  /** Versions it is recorded with; all when absent. */
  versions?: readonly VersionLine[];
  /** Files created in the workspace before claude starts (relative path → content). */
  files?: Record<string, string>;
  /** Scripts by tag for the given workspace path and release line (2.0.x calls the Agent tool `Task`). */
  scripts(workspace: string, line: VersionLine): Record<string, ScriptedTurn[]>;
  /** Extra environment for claude (e.g. TERM_PROGRAM=WezTerm turns on synchronized output in 2.1.x). */
  env?: Record<string, string>;
  /** Starts claude with the stdio MCP server `weather` (test/recorder/mcp-weather.mjs). */
  mcp?: boolean;
  /** Script tags answered to subagents; their calls are nested, not top-level. */
  nestedScripts?: readonly string[];
  steps: readonly Step[];
  /** Held out of parser development: the evaluation reports these apart. */
  heldOut?: boolean;
  /**
   * Which held-out batch: 1 was recorded after the parser was written against the development set (and its first
   * score is in docs/parser.md; fixes followed), 2 after those fixes, scored once and not tuned on.
   */
  round?: 1 | 2;
}

/** Pause between streamed deltas, in ms: long enough for spinner and streaming frames to show. */
export const DELTA_MS = 30;

export function turn(...content: ScriptedBlock[]): ScriptedTurn {
  return { deltaDelayMs: DELTA_MS, content };
}

export function say(text: string): ScriptedBlock {
  return { type: "text", text };
}

export function bash(command: string, description = "Run a command"): ScriptedBlock {
  return { type: "tool_use", name: "Bash", input: { command, description } };
}

export function read(file_path: string): ScriptedBlock {
  return { type: "tool_use", name: "Read", input: { file_path } };
}

export function write(file_path: string, content: string): ScriptedBlock {
  return { type: "tool_use", name: "Write", input: { file_path, content } };
}

export function edit(file_path: string, old_string: string, new_string: string): ScriptedBlock {
  return { type: "tool_use", name: "Edit", input: { file_path, old_string, new_string } };
}

export function grep(pattern: string, path?: string): ScriptedBlock {
  return { type: "tool_use", name: "Grep", input: path === undefined ? { pattern } : { pattern, path } };
}

export function glob(pattern: string): ScriptedBlock {
  return { type: "tool_use", name: "Glob", input: { pattern } };
}

export function tool(name: string, input: Record<string, unknown>): ScriptedBlock {
  return { type: "tool_use", name, input };
}

/** A path inside the workspace. */
export function at(workspace: string, ...parts: string[]): string {
  return join(workspace, ...parts);
}

/** The final text turn of a script. */
export function done(text = "All done."): ScriptedTurn {
  return turn(say(text));
}
