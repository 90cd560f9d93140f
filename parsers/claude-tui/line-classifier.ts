// Says what one rendered row of Claude Code's TUI is: a tool header, a result line, a folded summary, the spinner, a menu row, …
import type { ColorClass, RowSnapshot } from "./screen";

/** What a row is. Rows are classified alone; the block reader puts them in context. */
export type Line =
  | { kind: "blank" }
  /** `● Name(args…` — a tool call header (args may continue on the next rows). */
  | { kind: "header"; name: string; args: string; styled: boolean; bullet: ColorClass }
  /** `  ⎿  text` — the first line of a result (or a folded group's current item). */
  | { kind: "result"; text: string }
  /** `● Reading 2 files…` / `  Read 2 files, listed 1 directory · 1 failed (ctrl+o to expand)` — 2.1.x folded calls. */
  | { kind: "group"; text: string; running: boolean }
  /** `● Agent "description" finished` — a background agent ended. */
  | { kind: "agent-finished"; description: string }
  /** `● text` with a plain bullet: assistant prose. */
  | { kind: "prose"; text: string }
  /** Any other row that starts with spaces: continuations of headers, results, prose or menu options. */
  | { kind: "indented"; indent: number; text: string }
  /** `✻ Verb… (3s · ↓ 42 tokens)` — Claude is working. */
  | { kind: "spinner" }
  /** `✻ Baked for 3s` — a turn ended. */
  | { kind: "turn-done" }
  /** A full-width `────` rule: input box edges and the top of a dialog. */
  | { kind: "rule" }
  /** `❯ text` / `> text`: the input box or an echoed prompt. */
  | { kind: "prompt"; text: string }
  /** `Do you want to …?` (inside a dialog). */
  | { kind: "question"; text: string }
  /** `❯ 1. Yes` — a numbered menu option. */
  | { kind: "option"; digit: string; label: string }
  /** `Esc to cancel · Tab to amend` — the hint under a menu. */
  | { kind: "menu-hint"; text: string }
  /** The banner (`Claude Code v2.1.332`), drawn once at start and again by every full repaint. */
  | { kind: "banner" }
  /** `Resume this session with:` — claude has exited. */
  | { kind: "exit" }
  | { kind: "other"; text: string };

/** A classified row together with what the screen said about it. */
export interface ClassifiedRow {
  abs: number;
  /** The row as drawn. */
  raw: string;
  /** The row with NBSP read as a space. */
  text: string;
  full: boolean;
  bullet: ColorClass;
  bold: boolean;
  line: Line;
  /** The row says Claude is busy (`esc to interrupt`). */
  busy: boolean;
}

/** Minimum length of a `─` run that counts as a rule, in cells. */
const MIN_RULE_CELLS = 20;
/** Verbs that open a folded group in 2.1.x, present and past tense. */
const GROUP_VERB = /^(?:Reading|Read|Searching for|Searched for|Listing|Listed|Running|Ran|Calling|Called|Fetching|Fetched|Writing|Wrote|Editing|Edited|Updating|Updated|Creating|Created)\s/;
/** One part of a folded group: `reading 2 files`, `calling weather 2 times`, `searched for 1 pattern`. */
const GROUP_PART = /^(?:reading|read|searching for|searched for|listing|listed|running|ran|calling|called|fetching|fetched|writing|wrote|editing|edited|updating|updated|creating|created) (?:\d+ \S+|\S+(?: \d+ times?)?)$/i;

const HEADER = /^(?:[●⏺]| ) (?<name>[A-Z][\w]*(?: [A-Z][\w]*)?|[^\s()][^()]*? \(MCP\))\((?<args>.*)$/u;
const RESULT = /^ {0,4}⎿ ?(?<text>.*)$/u;
const SPINNER = /^[·✢*✶✻✽✳∗] \S[^…]*…/u;
const TURN_DONE = /^[✻✳] \S+ for \d/u;
const AGENT_FINISHED = /^(?:[●⏺]| ) (?:Agent|Task) "(?<description>.*)" (?:finished|completed|failed|stopped|was stopped|errored)/u;
const QUESTION = /\b(?:Do you want to|Would you like to)\b.*\?/u;
const OPTION = /^(?:❯|›|>)?\s*(?<digit>\d{1,2})\.\s*(?<label>\S.*)$/u;
const MENU_HINT = /\b(?:Esc to cancel|Enter to confirm|Tab to amend|Esc to exit)\b/u;
const BANNER = /Claude Code v\d+\.\d+/u;
const EXIT = /^(?:Resume this session with:|claude .*--resume [0-9a-f-]{8,})/u;
const BUSY = /esc to interrupt|ctrl\+c to interrupt/iu;
const BOX_EDGE = /^│\s?|\s?│$/gu;

const NBSP = "\u00a0";
const RULE_CODE = 0x2500; // ─
const BOX_SIDE = "│";

/** Texts whose classification is remembered; past this the memory starts afresh. */
const MAX_REMEMBERED_TEXTS = 2_048;

/** Classifies one rendered row. */
export function classifyRow(row: RowSnapshot): ClassifiedRow {
  // Most rows hold no NBSP: a native search is much cheaper than a regular-expression replace.
  const text = row.text.includes(NBSP) ? row.text.replaceAll(NBSP, " ") : row.text;
  return { abs: row.abs, raw: row.text, text, full: row.full, bullet: row.bullet, bold: row.bold, line: classifyText(text, row.bullet, row.bold), busy: BUSY.test(text) };
}

/**
 * `classifyRow` that remembers recent texts: a repaint or a live area that grows draws the same texts at other rows
 * over and over. Lines are shared between rows and never modified.
 */
export class RowClassifier {
  readonly #known = new Map<string, ClassifiedRow>();

  classify(row: RowSnapshot): ClassifiedRow {
    const known = this.#known.get(row.text);
    if (known && known.bullet === row.bullet && known.bold === row.bold) {
      return { abs: row.abs, raw: known.raw, text: known.text, full: row.full, bullet: known.bullet, bold: known.bold, line: known.line, busy: known.busy };
    }
    const classified = classifyRow(row);
    if (this.#known.size >= MAX_REMEMBERED_TEXTS) this.#known.clear();
    this.#known.set(row.text, classified);
    return classified;
  }
}

export function classifyText(raw: string, bullet: ColorClass = "none", bold = false): Line {
  const text = raw.trimEnd();
  if (text.trim() === "") return { kind: "blank" };
  if (isRule(text)) return { kind: "rule" };
  const first = text[0] ?? "";
  const bulleted = first === "●" || first === "⏺";

  const result = RESULT.exec(text);
  if (result && text.trimStart().startsWith("⎿")) return { kind: "result", text: (result.groups?.text ?? "").trim() };

  const finished = AGENT_FINISHED.exec(text);
  if (finished) return { kind: "agent-finished", description: finished.groups?.description ?? "" };

  const header = HEADER.exec(text);
  if (header && (bulleted || text.startsWith("  "))) {
    const styled = (bulleted && bullet !== "plain" && bullet !== "none") || bold;
    return { kind: "header", name: header.groups?.name ?? "", args: header.groups?.args ?? "", styled, bullet };
  }

  if ((bulleted || text.startsWith("  ")) && !text.startsWith("   ")) {
    const group = groupText(text.slice(2));
    if (group && (!bulleted || bullet !== "plain")) return group;
  }

  if (bulleted) return { kind: "prose", text: text.slice(2) };
  if (TURN_DONE.test(text)) return { kind: "turn-done" };
  if (SPINNER.test(text)) return { kind: "spinner" };
  if (BANNER.test(text)) return { kind: "banner" };
  if (EXIT.test(text)) return { kind: "exit" };

  const inner = (text.includes(BOX_SIDE) ? text.replace(BOX_EDGE, "") : text).trim();
  if (QUESTION.test(inner)) return { kind: "question", text: inner };
  const option = OPTION.exec(inner);
  if (option && (inner.startsWith("❯") || /^\s/.test(text) || text.startsWith("│"))) {
    return { kind: "option", digit: option.groups?.digit ?? "", label: (option.groups?.label ?? "").trim() };
  }
  if (MENU_HINT.test(inner)) return { kind: "menu-hint", text: inner };
  if (first === "❯" || first === ">") return { kind: "prompt", text: text.slice(1).trim() };

  const indent = text.length - text.trimStart().length;
  if (indent > 0) return { kind: "indented", indent, text: text.trimStart() };
  return { kind: "other", text };
}

/** A 2.1.x folded-group line (`Reading 2 files, listing 1 directory… (ctrl+o to expand)`), or undefined. */
export function groupText(body: string): Line | undefined {
  if (!GROUP_VERB.test(body)) return undefined;
  let rest = body.replace(/\s*\(ctrl\+[or] to expand\)\s*$/u, "").replace(/\s*\(ctrl\+[or] to\s*$/u, "");
  const running = /…/u.test(rest);
  rest = rest.replace(/…/gu, "").replace(/\s*·\s*\d+\s+(?:failed|errors?)\s*$/u, "").trim();
  const parts = rest.split(/,\s*/u);
  if (parts.length === 0 || !parts.every((part) => GROUP_PART.test(part.trim()))) return undefined;
  return { kind: "group", text: body.trim(), running };
}

function isRule(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length < MIN_RULE_CELLS) return false;
  for (let i = 0; i < trimmed.length; i++) if (trimmed.charCodeAt(i) !== RULE_CODE) return false;
  return true;
}
