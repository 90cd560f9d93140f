// StreamLinesAddon: remembers where the output stream's bytes landed in the buffer, and scrolls to (and flashes) the line of a stream offset.
import type { IDisposable, IMarker, ITerminalAddon, Terminal } from "@xterm/xterm";
import { OffsetLineMap } from "../offset-line-map";

/** Lines searched above the line the cursor was on for the text that was asked for (a call's header). */
const SEARCH_ABOVE_LINES = 60;
/** Lines searched below it. */
const SEARCH_BELOW_LINES = 8;
/** Characters of the text looked for: enough to tell calls apart, few enough to sit on the header's first line. */
const NEEDLE_CHARS = 40;
/** Lines kept visible above the revealed one. */
const CONTEXT_LINES = 2;
/** How long the revealed line stays highlighted, in milliseconds (the CSS animation fits inside it). */
const HIGHLIGHT_MS = 1_800;

export class StreamLinesAddon implements ITerminalAddon {
  readonly #map = new OffsetLineMap<IMarker>();
  #terminal: Terminal | null = null;
  #highlight: IDisposable | null = null;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;

  activate(terminal: Terminal): void {
    this.#terminal = terminal;
  }

  dispose(): void {
    this.#clearHighlight();
    this.#map.clear();
    this.#terminal = null;
  }

  /** Output [`start`, `end`) has been parsed: remember the line the cursor is on now. */
  drawn(start: number, end: number): void {
    const terminal = this.#terminal;
    const buffer = terminal?.buffer.active;
    // The alternate screen has no scrollback to go back to.
    if (!terminal || !buffer || buffer.type !== "normal") return;
    this.#map.record(start, end, buffer.baseY + buffer.cursorY, () => terminal.registerMarker(0));
  }

  /** The screen was cleared: what was recorded is gone. */
  reset(): void {
    this.#map.clear();
  }

  /**
   * The buffer line where the output at `offset` shows, refined to the nearest line containing `text` (e.g. a
   * tool call's target) when there is one close by; null when that output is no longer in the buffer.
   */
  lineOf(offset: number, text = ""): number | null {
    const terminal = this.#terminal;
    const anchor = this.#map.lineAt(offset);
    if (!terminal || anchor === null) return null;
    const prefix = text.trim().slice(0, NEEDLE_CHARS);
    if (!prefix) return anchor;
    // A call's header shows its target right after the tool's name and "(": prefer that over a mere mention.
    for (const needle of [`(${prefix}`, prefix]) {
      const found = this.#nearest(terminal, anchor, needle);
      if (found !== null) return found;
    }
    return anchor;
  }

  /** The line nearest above `anchor` (or just below it) whose text contains `needle`. */
  #nearest(terminal: Terminal, anchor: number, needle: string): number | null {
    const buffer = terminal.buffer.active;
    const has = (line: number): boolean => buffer.getLine(line)?.translateToString(true).includes(needle) ?? false;
    for (let line = anchor; line >= Math.max(0, anchor - SEARCH_ABOVE_LINES); line--) if (has(line)) return line;
    for (let line = anchor + 1; line < Math.min(buffer.length, anchor + SEARCH_BELOW_LINES); line++) if (has(line)) return line;
    return null;
  }

  /** Scrolls so the output at `offset` is in view and flashes its line; false when it is no longer in the buffer. */
  reveal(offset: number, text = ""): boolean {
    const terminal = this.#terminal;
    const line = this.lineOf(offset, text);
    if (!terminal || line === null) return false;
    terminal.scrollToLine(Math.max(0, line - CONTEXT_LINES));
    this.#flash(terminal, line);
    return true;
  }

  #flash(terminal: Terminal, line: number): void {
    this.#clearHighlight();
    const buffer = terminal.buffer.active;
    const marker = terminal.registerMarker(line - (buffer.baseY + buffer.cursorY));
    if (!marker) return;
    const decoration = terminal.registerDecoration({ marker, width: terminal.cols, layer: "top" });
    if (!decoration) {
      marker.dispose();
      return;
    }
    decoration.onRender((element) => element.classList.add("stream-line-highlight"));
    this.#highlight = {
      dispose: () => {
        decoration.dispose();
        marker.dispose();
      },
    };
    this.#highlightTimer = setTimeout(() => this.#clearHighlight(), HIGHLIGHT_MS);
  }

  #clearHighlight(): void {
    clearTimeout(this.#highlightTimer);
    this.#highlight?.dispose();
    this.#highlight = null;
  }
}
