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

/** A result line drawn without a header of its own (`⎿  Error: No such tool available: TodoWrite`, see `headerlessTool`). */
export interface MissingToolBlock {
  kind: "missing-tool";
  row: number;
  tool: string;
  text: string;
  /** The call failed (rather than finished). */
  failed: boolean;
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
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
/** An error line naming a tool the session does not offer. */
const MISSING_TOOL = /No such tool available: (?<tool>[\w-]+)/u;
const MISSING_TOOL_TEXT = "No such tool available: ";
const NOTEBOOK_CELL_TEXT = "Updated cell ";

/**
 * Result lines of calls drawn without a header of their own, and the tool they stand for: an error naming a tool
 * the session lacks, and 2.0.x notebook edits (`⎿  Updated cell c1:` right under the previous call).
 */
export function headerlessTool(text: string): { tool: string; failed: boolean } | undefined {
  const missing = missingTool(text);
  if (missing) return { tool: missing, failed: true };
  // Most result lines are neither: a native search rules them out before the regular expressions.
  if (text.startsWith(NOTEBOOK_CELL_TEXT) && /^Updated cell \S+:/u.test(text)) return { tool: "NotebookEdit", failed: false };
  return undefined;
}

/** The tool an error line says the session does not offer (`No such tool available: TodoWrite`), or undefined. */
export function missingTool(text: string): string | undefined {
  return text.includes(MISSING_TOOL_TEXT) ? MISSING_TOOL.exec(text)?.groups?.tool : undefined;
}

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
    // Lines of each kind have their own shape: reading `kind` once per row is much cheaper than at every test.
    const line = row.line;
    const kind = line.kind;
    if (kind === "header") {
      i = readCall(rows, i, blocks);
    } else if (kind === "group" || kind === "prose" || (kind === "indented" && line.indent === 2)) {
      i = readGroup(rows, i, blocks);
    } else if (kind === "result") {
      const headerless = headerlessTool(line.text);
      if (headerless) blocks.push({ kind: "missing-tool", row: row.abs, tool: headerless.tool, text: line.text, failed: headerless.failed });
      i++;
    } else if (kind === "agent-finished") {
      blocks.push({ kind: "agent-finished", row: row.abs, description: line.description });
      i++;
    } else if (kind === "banner") {
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
  // The last result line reached the right edge: the next indented row carries on with it.
  let continues = false;
  let followed = 0;
  while (i < rows.length && followed < MAX_RESULT_ROWS) {
    const next = rows[i];
    if (!next) break;
    const nextLine = next.line;
    const kind = nextLine.kind;
    if (kind === "result") {
      results.push(nextLine.text.slice(0, MAX_RESULT_CHARS));
      resultRows.push(next.abs);
      continues = next.full;
    } else if (kind === "indented" && nextLine.indent >= RESULT_INDENT - 1 && results.length > 0) {
      // Other indented rows are more output (lines 2.., a diff): part of the block, not of the first line.
      const last = results.length - 1;
      if (continues) results[last] = joinWrapped(results[last] ?? "", nextLine.text, true).slice(0, MAX_RESULT_CHARS);
      continues = continues && next.full;
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
  const groupAt = blocks.length;
  let previous: ClassifiedRow | undefined;
  let itemGoesOn = false;
  while (i < rows.length) {
    const next = rows[i];
    if (!next) break;
    const nextLine = next.line;
    const kind = nextLine.kind;
    if (kind === "result") {
      const headerless = headerlessTool(nextLine.text);
      if (headerless) blocks.push({ kind: "missing-tool", row: next.abs, tool: headerless.tool, text: nextLine.text, failed: headerless.failed });
      else items.push(nextLine.text.slice(0, MAX_RESULT_CHARS));
      itemGoesOn = headerless === undefined;
    } else if (kind === "indented" && nextLine.indent >= RESULT_INDENT - 1) {
      // An item cut at the right edge goes on here (other wrapped lines are skipped).
      if (itemGoesOn && previous?.full && items.length > 0) items[items.length - 1] = joinWrapped(items[items.length - 1] ?? "", nextLine.text, true).slice(0, MAX_RESULT_CHARS);
    } else {
      break;
    }
    previous = next;
    i++;
  }
  blocks.splice(groupAt, 0, { kind: "group", row: first.abs, text: line.text, running: line.running, items });
  return i;
}

/** Whether two readings hold the same blocks, field by field. */
export function sameBlocks(a: readonly Block[], b: readonly Block[]): boolean {
  return a.length === b.length && a.every((block, i) => sameBlock(block, b[i]));
}

function sameBlock(a: Block, b: Block | undefined): boolean {
  if (b === undefined || a.kind !== b.kind || a.row !== b.row) return false;
  switch (a.kind) {
    case "call":
      return (
        b.kind === "call" &&
        a.name === b.name &&
        a.args === b.args &&
        a.closed === b.closed &&
        a.bullet === b.bullet &&
        a.styled === b.styled &&
        sameList(a.results, b.results) &&
        sameList(a.resultRows, b.resultRows)
      );
    case "group":
      return b.kind === "group" && a.text === b.text && a.running === b.running && sameList(a.items, b.items);
    case "missing-tool":
      return b.kind === "missing-tool" && a.tool === b.tool && a.text === b.text && a.failed === b.failed;
    case "agent-finished":
      return b.kind === "agent-finished" && a.description === b.description;
    case "banner":
      return true;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
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
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if (code === OPEN_PAREN) depth++;
    else if (code === CLOSE_PAREN) depth--;
  }
  return depth <= 0;
}
