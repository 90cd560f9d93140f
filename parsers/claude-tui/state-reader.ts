// Reads what Claude is doing from the viewport: a menu waiting for an answer, working, idle at its input box, or exited.
import type { ClaudeState, MenuOption } from "./events";
import type { ClassifiedRow } from "./line-classifier";

export interface StateReading {
  state: ClaudeState;
  /** The menu's options (awaiting-permission only). */
  options?: MenuOption[];
  /** The menu asks about a tool call (`Do you want to …?`), not a start-up dialog. */
  toolPermission?: boolean;
}

/** Rows above a menu hint searched for its options and question. */
const MENU_LOOKBACK_ROWS = 24;
/** Rows around the input box prompt searched for its rules. */
const BOX_REACH_ROWS = 3;
const ESC = "\x1b";
const ENTER = "\r";
/** A 2.0.x option that is a text field: its digit focuses it, Enter sends it (empty), which declines. */
const INPUT_OPTION = /^Type here to tell Claude/u;
const TOOL_QUESTION = /\b(?:Do you want to|Would you like to)\b/u;

/** What a row is, or undefined for a row not held. */
type Kind = ClassifiedRow["line"]["kind"] | undefined;

/** The state the viewport shows, or undefined when it shows none clearly (mid-redraw, or not Claude). */
export function readState(rows: readonly (ClassifiedRow | undefined)[]): StateReading | undefined {
  // Each kind of line has its own shape: reading every row's kind once keeps the scans below cheap.
  const kinds = rows.map((row) => row?.line.kind);
  const box = lastInputBox(kinds);
  const exit = kinds.lastIndexOf("exit");
  if (exit > box) return { state: "exited" };

  const menu = readMenu(rows, kinds);
  if (menu && menu.hint > box) return { state: "awaiting-permission", options: menu.options, toolPermission: menu.toolPermission };

  if (kinds.includes("spinner") || rows.some((row) => row?.busy === true)) return { state: "busy" };
  if (box >= 0) return { state: "idle" };
  return undefined;
}

interface Menu {
  hint: number;
  options: MenuOption[];
  toolPermission: boolean;
}

function readMenu(rows: readonly (ClassifiedRow | undefined)[], kinds: readonly Kind[]): Menu | undefined {
  const hint = kinds.lastIndexOf("menu-hint");
  if (hint < 0) return undefined;
  const labels: { digit: string; label: string }[] = [];
  let toolPermission = false;
  let pendingContinuation: string[] = [];
  for (let i = hint - 1; i >= 0 && i >= hint - MENU_LOOKBACK_ROWS; i--) {
    const line = rows[i]?.line;
    if (!line || line.kind === "rule" || line.kind === "blank") {
      if (labels.length > 0 && line?.kind === "rule") break;
      pendingContinuation = [];
      continue;
    }
    if (line.kind === "option") {
      labels.unshift({ digit: line.digit, label: [line.label, ...pendingContinuation].join(" ") });
      pendingContinuation = [];
    } else if (line.kind === "indented") {
      pendingContinuation.unshift(line.text);
    } else if (line.kind === "question") {
      toolPermission = TOOL_QUESTION.test(line.text);
      break;
    }
  }
  if (!labels.some((option) => option.digit === "1")) return undefined;
  const options: MenuOption[] = labels.map(({ digit, label }) => ({ label, keys: INPUT_OPTION.test(label) ? `${digit}${ENTER}` : digit }));
  const hintText = rows[hint]?.line.kind === "menu-hint" ? (rows[hint]?.text ?? "") : "";
  if (/Esc to cancel/u.test(hintText)) options.push({ label: "Cancel (Esc)", keys: ESC });
  return { hint, options, toolPermission };
}

/** Index of the prompt row of the lowest input box (a `❯` row between two rules), or -1. */
function lastInputBox(kinds: readonly Kind[]): number {
  for (let i = kinds.length - 1; i >= 0; i--) {
    if (kinds[i] !== "prompt") continue;
    const ruleAbove = kinds.slice(Math.max(0, i - BOX_REACH_ROWS), i).includes("rule");
    const ruleBelow = kinds.slice(i + 1, i + 1 + BOX_REACH_ROWS).includes("rule");
    if (ruleAbove && ruleBelow) return i;
  }
  return -1;
}
