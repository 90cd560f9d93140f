// Reads tool blocks out of consecutive classified rows: a header with its wrapped arguments and result lines, or a folded group with its items.
import { groupText, type ClassifiedRow } from "./line-classifier";
import type { ColorClass } from "./screen";

/** A tool call header and what is drawn under it. */
export interface CallBlock {
  kind: "call";
  /** Absolute row of the header. */
  row: number;
  /** Display name before `(`. */
  name: string;
  /** Arguments, unwrapped, without the closing `)`. */
  args: string;
  /** The closing `)` was seen. */
  closed: boolean;
  bullet: ColorClass;
  /** The header was drawn with tool styling (coloured bullet or bold name). */
  styled: boolean;
  /** Each `⎿` line under the header, unwrapped where the TUI broke it at the edge. */
  results: string[];
  /** Absolute row of each `⎿` line. */
  resultRows: number[];
}

/** A 2.1.x folded group: `Reading 2 files, listing 1 directory…` and the item line under it. */
export interface GroupBlock {
  kind: "group";
  row: number;
  text: string;
  running: boolean;
  /** `⎿` lines under it: the path or `$ command` of the call running now. */
  items: string[];
}

/** `⎿  Error: No such tool available: TodoWrite` drawn without a header of its own. */
export interface MissingToolBlock {
  kind: "missing-tool";
  row: number;
  tool: string;
  text: string;
}

/** `● Agent "description" finished`. */
export interface AgentFinishedBlock {
  kind: "agent-finished";
  row: number;
  description: string;
}

/** The banner: a full repaint draws it again. */
export interface BannerBlock {
  kind: "banner";
  row: number;
}

export type Block = CallBlock | GroupBlock | MissingToolBlock | AgentFinishedBlock | BannerBlock;

/** Rows of header arguments followed at most; a longer header is cut. */
const MAX_ARG_ROWS = 40;
/** Result rows followed under one header. */
const MAX_RESULT_ROWS = 400;
/** Result text kept per line, in characters. */
const MAX_RESULT_CHARS = 500;
/** Indent of wrapped result text (under `  ⎿  `), in cells. */
const RESULT_INDENT = 5;
/** An error line naming a tool the session does not offer. */
export const MISSING_TOOL = /No such tool available: (?<tool>[\w-]+)/u;

/** Reads the blocks in `rows` (consecutive; `undefined` for rows not held) in order. */
export function readBlocks(rows: readonly (ClassifiedRow | undefined)[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < rows.length) {
    const row = rows[i];
    if (!row) {
      i++;
      continue;
    }
    const line = row.line;
    if (line.kind === "header") {
      i = readCall(rows, i, blocks);
    } else if (line.kind === "group" || (line.kind === "indented" && line.indent === 2) || line.kind === "prose") {
      i = readGroup(rows, i, blocks);
    } else if (line.kind === "result") {
      const missing = MISSING_TOOL.exec(line.text);
      if (missing?.groups?.tool) blocks.push({ kind: "missing-tool", row: row.abs, tool: missing.groups.tool, text: line.text });
      i++;
    } else if (line.kind === "agent-finished") {
      blocks.push({ kind: "agent-finished", row: row.abs, description: line.description });
      i++;
    } else if (line.kind === "banner") {
      blocks.push({ kind: "banner", row: row.abs });
      i++;
    } else {
      i++;
    }
  }
  return blocks;
}

function readCall(rows: readonly (ClassifiedRow | undefined)[], start: number, blocks: Block[]): number {
  const first = rows[start];
  if (!first || first.line.kind !== "header") return start + 1;
  let args = first.line.args;
  let previous = first;
  let i = start + 1;
  while (i < rows.length && i - start <= MAX_ARG_ROWS && !closes(args)) {
    const next = rows[i];
    if (!next || next.line.kind !== "indented") break;
    args = joinWrapped(args, next.line.text, previous.full);
    previous = next;
    i++;
  }
  const closed = args.trimEnd().endsWith(")");
  const results: string[] = [];
  const resultRows: number[] = [];
  let followed = 0;
  while (i < rows.length && followed < MAX_RESULT_ROWS) {
    const next = rows[i];
    if (!next) break;
    if (next.line.kind === "result") {
      results.push(next.line.text.slice(0, MAX_RESULT_CHARS));
      resultRows.push(next.abs);
      previous = next;
    } else if (next.line.kind === "indented" && next.line.indent >= RESULT_INDENT - 1 && results.length > 0) {
      // A result line the TUI broke at the right edge continues here; other indented rows are more output.
      const last = results.length - 1;
      if (previous.full && previous.line.kind === "result") results[last] = joinWrapped(results[last] ?? "", next.line.text, true).slice(0, MAX_RESULT_CHARS);
      previous = next.full && previous.line.kind === "result" ? { ...next, line: previous.line } : next;
    } else {
      break;
    }
    followed++;
    i++;
  }
  const line = first.line;
  blocks.push({
    kind: "call",
    row: first.abs,
    name: line.name,
    args: closed ? args.replace(/\)\s*$/u, "") : args,
    closed,
    bullet: line.bullet,
    styled: line.styled,
    results,
    resultRows,
  });
  return i;
}

/** A folded group line (possibly wrapped onto an indented row) and the `⎿` items under it. */
function readGroup(rows: readonly (ClassifiedRow | undefined)[], start: number, blocks: Block[]): number {
  const first = rows[start];
  if (!first) return start + 1;
  let line = first.line;
  let i = start + 1;
  if (line.kind !== "group") {
    // A group line cut by the right edge only parses once joined with its continuation row.
    const next = rows[i];
    const body = first.text.slice(2);
    if (!next || next.line.kind !== "indented" || !/^(?:Reading|Read|Searching|Searched|Listing|Listed|Running|Ran|Calling|Called)\b/u.test(body)) return start + 1;
    const joined = groupText(joinWrapped(body, next.line.text, first.full));
    if (!joined || joined.kind !== "group") return start + 1;
    line = joined;
    i++;
  } else if (rows[i]?.line.kind === "indented" && /\(ctrl\+[or] to$/u.test(first.text)) {
    i++;
  }
  if (line.kind !== "group") return start + 1;
  const items: string[] = [];
  let previous: ClassifiedRow | undefined;
  while (i < rows.length) {
    const next = rows[i];
    if (next?.line.kind === "result") {
      items.push(next.line.text.slice(0, MAX_RESULT_CHARS));
    } else if (next?.line.kind === "indented" && next.line.indent >= RESULT_INDENT - 1 && previous?.full && items.length > 0) {
      // An item cut at the right edge goes on here.
      items[items.length - 1] = joinWrapped(items[items.length - 1] ?? "", next.line.text, true).slice(0, MAX_RESULT_CHARS);
    } else {
      break;
    }
    previous = next;
    i++;
  }
  blocks.push({ kind: "group", row: first.abs, text: line.text, running: line.running, items });
  return i;
}

/** Joins a row the TUI wrapped: a full row was cut mid-word, a shorter one lost the space it broke at. */
export function joinWrapped(before: string, after: string, full: boolean): string {
  return full ? `${before}${after}` : `${before} ${after}`;
}

/** The arguments end with `)` and their parentheses balance (quotes aside, it is a heuristic). */
function closes(args: string): boolean {
  const trimmed = args.trimEnd();
  if (!trimmed.endsWith(")")) return false;
  let depth = 1;
  for (const char of trimmed) {
    if (char === "(") depth++;
    else if (char === ")") depth--;
  }
  return depth <= 0;
}
