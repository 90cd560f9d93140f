// The bytes each key of the mobile key bar sends, and what a sticky Ctrl does to the next key typed.

/** The keys on the bar (Ctrl is a modifier, not a key: see `withCtrl`). */
export type BarKey = "esc" | "tab" | "shift-tab" | "up" | "down" | "left" | "right" | "ctrl-c" | "slash";

export interface KeyContext {
  /** Sticky Ctrl is armed: the key is sent with Ctrl held. */
  ctrl: boolean;
  /** The terminal is in application cursor mode (DECCKM): arrows send `ESC O x` where normal mode sends `ESC [ x`. */
  applicationCursor: boolean;
}

const ESC = "\x1b";
const ARROW_LETTERS = { up: "A", down: "B", right: "C", left: "D" } as const;

/** The bytes for the PTY when a bar key is pressed, as a terminal keyboard would send them. */
export function keyBytes(key: BarKey, context: KeyContext): string {
  switch (key) {
    case "esc":
      return ESC;
    case "tab":
      return "\t";
    case "shift-tab":
      return `${ESC}[Z`;
    case "ctrl-c":
      return "\x03";
    case "slash":
      return context.ctrl ? withCtrl("/") : "/";
    case "up":
    case "down":
    case "left":
    case "right": {
      const letter = ARROW_LETTERS[key];
      // With a modifier, xterm-style terminals send CSI 1 ; 5 x (5 = Ctrl) whatever the cursor mode.
      if (context.ctrl) return `${ESC}[1;5${letter}`;
      return context.applicationCursor ? `${ESC}O${letter}` : `${ESC}[${letter}`;
    }
    default:
      key satisfies never;
      return "";
  }
}

/**
 * Text typed while sticky Ctrl is armed, as Ctrl+that key: letters and `@[\]^_` become their C0 control codes
 * (Ctrl+C is 0x03), space is NUL, `?` is DEL, `/` is 0x1f (as xterm sends it). Only the first character takes Ctrl;
 * the rest of the text is sent as typed, and characters with no control form are sent unchanged.
 */
export function withCtrl(text: string): string {
  const first = text.charAt(0);
  if (!first) return text;
  return controlCode(first) + text.slice(1);
}

function controlCode(char: string): string {
  if (char === " " || char === "@" || char === "2") return "\x00";
  if (char === "?") return "\x7f";
  if (char === "/") return "\x1f";
  const upper = char.toUpperCase();
  const code = upper.charCodeAt(0);
  // '@' (0x40) to '_' (0x5f) map to 0x00..0x1f; letters arrive in either case.
  if (upper.length === 1 && code >= 0x40 && code <= 0x5f) return String.fromCharCode(code & 0x1f);
  return char;
}
