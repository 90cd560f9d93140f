// ShrinkToPaneAddon: when the PTY's grid is larger than this pane (another writer sized it), scales the drawn terminal down to fit.
import type { ITerminalAddon, Terminal } from "@xterm/xterm";

/** Below this scale the text is unreadable; the pane clips instead (bottom rows stay in view). */
const MIN_SCALE = 0.5;

/**
 * A CSS transform, not a smaller font: xterm keeps measuring its cells at the real font size, so the pane's
 * fitting size and the PTY size stay independent, and nothing feeds back into another resize.
 */
export class ShrinkToPaneAddon implements ITerminalAddon {
  #terminal: Terminal | null = null;
  #observer: ResizeObserver | null = null;

  activate(terminal: Terminal): void {
    this.#terminal = terminal;
  }

  /** Starts watching the terminal's screen and its pane; call after `terminal.open()`. */
  observe(): void {
    const element = this.#terminal?.element;
    const pane = element?.parentElement;
    const screen = element?.querySelector<HTMLElement>(".xterm-screen");
    if (!element || !pane || !screen || this.#observer) return;
    this.#observer = new ResizeObserver(() => this.#apply(element, screen, pane));
    for (const target of [element, screen, pane]) this.#observer.observe(target);
  }

  dispose(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    const element = this.#terminal?.element;
    if (element) element.style.transform = "";
    this.#terminal = null;
  }

  #apply(element: HTMLElement, screen: HTMLElement, pane: HTMLElement): void {
    // offsetWidth/Height ignore transforms: they are the natural size. The grid's width is the screen's: the
    // terminal's element stretches to the pane's width however many columns it draws.
    const natural = { width: screen.offsetWidth, height: element.offsetHeight };
    if (natural.width === 0 || natural.height === 0) return;
    const fit = Math.min(pane.clientWidth / natural.width, pane.clientHeight / natural.height, 1);
    const scale = fit >= MIN_SCALE ? fit : 1;
    element.style.transformOrigin = "0 0";
    element.style.transform = scale < 1 ? `scale(${scale})` : "";
    pane.classList.toggle("scaled", scale < 1);
  }
}
