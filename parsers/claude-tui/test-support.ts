// Builds Claude-Code-like terminal output for the parser's tests: coloured bullets, bold names, result lines, menus.
import { utf8 } from "./cast-replay";

const ESC = "\x1b";

/** Foreground colours Claude Code 2.x uses (dark theme). */
export const COLORS = {
  gray: [153, 153, 153],
  green: [78, 186, 101],
  red: [255, 107, 128],
  white: [255, 255, 255],
  rule: [136, 136, 136],
} as const;

export function fg(color: readonly [number, number, number] | readonly number[], text: string): string {
  return `${ESC}[38;2;${color.join(";")}m${text}${ESC}[39m`;
}

export function bold(text: string): string {
  return `${ESC}[1m${text}${ESC}[22m`;
}

/** `● Name(args)` as 2.1.x draws it: coloured bullet, column jump, bold name. */
export function header(name: string, args: string, bullet: keyof typeof COLORS = "gray"): string {
  return `${fg(COLORS[bullet], "●")}${ESC}[3G${bold(name)}(${args})`;
}

/** `  ⎿  text` with the NBSP Claude puts after the corner. */
export function result(text: string): string {
  return `${fg(COLORS.gray, "  ⎿ ")}\u00a0${text}`;
}

/** Assistant prose: a white bullet. */
export function prose(text: string): string {
  return `${fg(COLORS.white, "●")} ${text}`;
}

/** The input box and footer of an idle 2.1.x session `cols` wide. */
export function inputBox(cols: number, footer = "  ⏸ manual mode on · ? for shortcuts"): string[] {
  const rule = fg(COLORS.rule, "─".repeat(cols));
  return [rule, "❯\u00a0", rule, footer];
}

/** Rows joined as a terminal receives them. */
export function rows(...lines: string[]): string {
  return lines.join("\r\n");
}

export function bytes(text: string): Uint8Array {
  return utf8(text);
}

/** Moves the cursor up `n` rows: the end of a 2.1.x frame. */
export function up(n: number): string {
  return `${ESC}[${n}A`;
}
