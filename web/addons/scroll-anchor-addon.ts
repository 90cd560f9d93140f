// ScrollAnchorAddon: keeps a user who scrolled up in the scrollback where they were when the program clears and repaints everything.
import type { IDisposable, ITerminalAddon, Terminal } from "@xterm/xterm";

/**
 * Claude Code repaints its whole transcript when it outgrows the screen: erase the scrollback (ED 3), then draw
 * every line again. xterm.js moves a scrolled-up viewport to the top when the scrollback goes, so the reader
 * loses their place. This addon notes the line the viewport started at before the erase and scrolls back to it
 * once the repaint has drawn that far. Appended output needs no help: xterm keeps a scrolled-up viewport still.
 */
export class ScrollAnchorAddon implements ITerminalAddon {
  #terminal: Terminal | null = null;
  /** Buffer line the reader's viewport started at before the scrollback was erased; null when not anchored. */
  #anchor: number | null = null;
  readonly #disposables: IDisposable[] = [];

  activate(terminal: Terminal): void {
    this.#terminal = terminal;
    this.#disposables.push(
      // Returning false lets xterm's own handler erase as usual; this one only looks first.
      terminal.parser.registerCsiHandler({ final: "J" }, (params) => {
        if (params[0] === 3) this.#scrollbackErasing();
        return false;
      }),
      terminal.onWriteParsed(() => this.#restore()),
      // Typing brings the viewport to the bottom (xterm's scrollOnUserInput): the reader left their place.
      terminal.onData(() => (this.#anchor = null)),
    );
  }

  dispose(): void {
    for (const disposable of this.#disposables.splice(0)) disposable.dispose();
    this.#terminal = null;
    this.#anchor = null;
  }

  #scrollbackErasing(): void {
    const buffer = this.#terminal?.buffer.active;
    if (!buffer || buffer.type !== "normal") return;
    // A second erase before the repaint reached the anchor keeps the first (the reader's) position.
    if (this.#anchor === null && buffer.viewportY < buffer.baseY) this.#anchor = buffer.viewportY;
  }

  #restore(): void {
    const terminal = this.#terminal;
    const anchor = this.#anchor;
    if (!terminal || anchor === null) return;
    // Until the repaint has drawn down to the anchor, there is nothing to scroll back to.
    if (terminal.buffer.active.baseY < anchor) return;
    this.#anchor = null;
    terminal.scrollToLine(anchor);
  }
}
