// How the terminal looks: the dark and light palettes (shared with the page's CSS variables), font stack and sizes.
import type { ITerminalOptions, ITheme } from "@xterm/xterm";
import type { ResolvedTheme } from "./theme";

/** A night palette in the Tokyo Night family, tuned so Claude Code's dim greys stay readable. */
export const terminalTheme: ITheme = {
  background: "#11131c",
  foreground: "#c8d3f5",
  cursor: "#ffc777",
  cursorAccent: "#11131c",
  selectionBackground: "#2d3f76",
  selectionInactiveBackground: "#2d3f7680",
  scrollbarSliderBackground: "#3b425880",
  scrollbarSliderHoverBackground: "#4c5575a0",
  scrollbarSliderActiveBackground: "#5b6691c0",
  black: "#1b1d2b",
  red: "#ff757f",
  green: "#c3e88d",
  yellow: "#ffc777",
  blue: "#82aaff",
  magenta: "#c099ff",
  cyan: "#86e1fc",
  white: "#c8d3f5",
  brightBlack: "#636da6",
  brightRed: "#ff8d94",
  brightGreen: "#c7fb6d",
  brightYellow: "#ffd8ab",
  brightBlue: "#9ab8ff",
  brightMagenta: "#caabff",
  brightCyan: "#b2ebff",
  brightWhite: "#e4ebff",
};

/** Monospace fonts people commonly have, best first; the generic family is the last resort. */
export const terminalFontFamily = [
  '"JetBrains Mono"',
  '"Cascadia Code"',
  '"Fira Code"',
  '"SF Mono"',
  "Menlo",
  "Monaco",
  "Consolas",
  '"DejaVu Sans Mono"',
  '"Liberation Mono"',
  '"Noto Sans Mono"',
  '"Ubuntu Mono"',
  "monospace",
].join(", ");

/**
 * A day palette in the same family: ANSI colours darkened until they read on a light background, since Claude Code
 * and shells pick colours assuming either. Dim grey (brightBlack) stays clearly lighter than the text.
 */
export const lightTerminalTheme: ITheme = {
  background: "#f7f8fc",
  foreground: "#2b3150",
  cursor: "#b15c00",
  cursorAccent: "#f7f8fc",
  selectionBackground: "#b9c7f0",
  selectionInactiveBackground: "#b9c7f080",
  scrollbarSliderBackground: "#9aa3c880",
  scrollbarSliderHoverBackground: "#7f89b4a0",
  scrollbarSliderActiveBackground: "#6670a0c0",
  black: "#2b3150",
  red: "#c4283c",
  green: "#3d7a12",
  yellow: "#8f5e00",
  blue: "#2e5cc8",
  magenta: "#7a3fc4",
  cyan: "#0f7590",
  white: "#c8cde0",
  brightBlack: "#6b7394",
  brightRed: "#d6334a",
  brightGreen: "#4a8c1c",
  brightYellow: "#a36c00",
  brightBlue: "#3d6ee0",
  brightMagenta: "#8a4fd6",
  brightCyan: "#1587a4",
  brightWhite: "#e4e7f2",
};

export function terminalThemeFor(theme: ResolvedTheme): ITheme {
  return theme === "light" ? lightTerminalTheme : terminalTheme;
}

export const terminalOptions: ITerminalOptions = {
  theme: terminalTheme,
  fontFamily: terminalFontFamily,
  /** CSS pixels. */
  fontSize: 14,
  lineHeight: 1,
  /** Lines kept above the screen; Claude Code's transcript scrolls into it. */
  scrollback: 10_000,
  cursorBlink: true,
  cursorStyle: "block",
  macOptionIsMeta: true,
  rightClickSelectsWord: true,
  // Unicode11Addon sets `terminal.unicode.activeVersion`, and the search addon draws decorations: both proposed API.
  allowProposedApi: true,
};
