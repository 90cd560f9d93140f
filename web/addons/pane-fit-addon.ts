// PaneFitAddon: watches the element the terminal is opened in and reports the size (cols × rows) that fills it.
import { FitAddon, type ITerminalDimensions } from "@xterm/addon-fit";
import type { IDisposable, ITerminalAddon, Terminal } from "@xterm/xterm";

/** Quiet time after the last pane resize before the size is measured again, in milliseconds. */
const RESIZE_DEBOUNCE_MS = 60;

/**
 * Measures the pane with xterm's FitAddon but does not resize the terminal itself: who sets the size (this
 * pane, or the PTY another writer sized) is the caller's decision. `onFit` fires when the fitting size changes.
 */
export class PaneFitAddon implements ITerminalAddon {
  readonly #fit = new FitAddon();
  readonly #listeners = new Set<(size: ITerminalDimensions) => void>();
  #terminal: Terminal | null = null;
  #observer: ResizeObserver | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last: ITerminalDimensions | null = null;

  activate(terminal: Terminal): void {
    this.#terminal = terminal;
    terminal.loadAddon(this.#fit);
  }

  /** Starts watching the terminal's parent element; call after `terminal.open()`. */
  observe(): void {
    const element = this.#terminal?.element;
    const pane = element?.parentElement;
    if (!element || !pane || this.#observer) return;
    this.#observer = new ResizeObserver(() => this.#schedule());
    this.#observer.observe(pane);
    // The screen's size is cols × cell size: watching it catches cell size changes, as when a web font
    // arrives or another renderer takes over, while the pane itself stays the same.
    const screen = element.querySelector(".xterm-screen");
    if (screen) this.#observer.observe(screen);
    void document.fonts?.ready.then(() => this.#schedule());
  }

  /** The size that fills the pane now, or null while the pane is hidden or not laid out. */
  propose(): ITerminalDimensions | null {
    const size = this.#fit.proposeDimensions();
    if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows) || size.cols < 1 || size.rows < 1) {
      return null;
    }
    return { cols: size.cols, rows: size.rows };
  }

  /** When the fitting size changes (and once when first known). */
  onFit(listener: (size: ITerminalDimensions) => void): IDisposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Measures now and reports the size even when it did not change. */
  refit(): void {
    this.#last = null;
    this.#measure();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#observer?.disconnect();
    this.#observer = null;
    this.#listeners.clear();
    this.#fit.dispose();
    this.#terminal = null;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#measure(), RESIZE_DEBOUNCE_MS);
  }

  #measure(): void {
    const size = this.propose();
    if (!size || (size.cols === this.#last?.cols && size.rows === this.#last.rows)) return;
    this.#last = size;
    for (const listener of this.#listeners) listener(size);
  }
}
