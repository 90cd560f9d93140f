// How the terminal looks: the dark palette (shared with the page's CSS variables), font stack and sizes.
import type { ITerminalOptions, ITheme } from "@xterm/xterm";

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
