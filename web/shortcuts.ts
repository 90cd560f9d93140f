// The page's keyboard shortcuts: which key combination does what, and the list the help shows.
// Ctrl+Shift combinations (and Cmd+F on a Mac) leave every plain Ctrl key to the terminal: Ctrl+F is readline's
// forward-char, Ctrl+L clears the screen.

export type ShortcutAction =
  | "find"
  | "focus-terminal"
  | "toggle-tools"
  | "toggle-preview"
  | "copy-share-link"
  | "show-shortcuts";

/** The parts of a keyboard event a shortcut depends on. */
export type KeyChord = Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

/** Ctrl+Shift+<code> shortcuts, by `KeyboardEvent.code` (the key's place, whatever the layout and Shift make of it). */
const CTRL_SHIFT: Record<string, ShortcutAction> = {
  KeyF: "find",
  Digit1: "focus-terminal",
  Digit2: "toggle-tools",
  Digit3: "toggle-preview",
  KeyL: "copy-share-link",
  Slash: "show-shortcuts",
};

export function shortcutFor(event: KeyChord, mac: boolean): ShortcutAction | null {
  if (event.altKey) return null;
  if (mac && event.metaKey && !event.ctrlKey && !event.shiftKey && event.code === "KeyF") return "find";
  if (event.ctrlKey && event.shiftKey && !event.metaKey) return CTRL_SHIFT[event.code] ?? null;
  return null;
}

/** For the help list, in the order shown. */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string; action: ShortcutAction; text: string }> = [
  { keys: "Ctrl+Shift+F (⌘F)", action: "find", text: "Find in the terminal" },
  { keys: "Ctrl+Shift+1", action: "focus-terminal", text: "Focus the terminal" },
  { keys: "Ctrl+Shift+2", action: "toggle-tools", text: "Show or hide the tool calls" },
  { keys: "Ctrl+Shift+3", action: "toggle-preview", text: "Show or hide the preview" },
  { keys: "Ctrl+Shift+L", action: "copy-share-link", text: "Copy a share link" },
  { keys: "Ctrl+Shift+?", action: "show-shortcuts", text: "Show these shortcuts" },
];

/** Whether this browser runs on an Apple platform, where Cmd plays Ctrl's part. */
export function isApplePlatform(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
