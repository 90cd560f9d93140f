// <pane-divider>: the handle between two panes; drag it, or focus it and use the arrow keys, to resize the pane on its right.
import { html, LitElement } from "lit";
import { PaneLimits, type SidePane } from "./pane-layout";

export interface PaneResize {
  pane: SidePane;
  /** The pane's new width in CSS pixels (not yet clamped). */
  width: number;
  /** The drag or key press is over: a good moment to store the layout. */
  final: boolean;
}

/**
 * Events (bubble):
 * - `pane-resize` (detail: PaneResize): the user moved the divider
 * - `pane-toggle` (detail: the pane): the user asked to collapse the pane (double-click, Enter)
 */
export class PaneDivider extends LitElement {
  static override properties = {
    pane: {},
    width: { type: Number },
    label: {},
  };

  /** The pane this divider sizes: the one to its right. */
  declare pane: SidePane;
  /** That pane's current width in CSS pixels. */
  declare width: number;
  /** Its name for assistive technology, e.g. "Tool calls". */
  declare label: string;

  #drag: { pointerId: number; startX: number; startWidth: number } | null = null;

  constructor() {
    super();
    this.pane = "tools";
    this.width = 0;
    this.label = "";
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    return html`<div
      class="pane-divider-handle"
      role="separator"
      tabindex="0"
      aria-orientation="vertical"
      aria-label=${`Resize ${this.label} (arrow keys; Enter hides it)`}
      aria-controls=${`pane-${this.pane}`}
      aria-valuemin=${PaneLimits.minWidth}
      aria-valuemax=${PaneLimits.maxWidth}
      aria-valuenow=${Math.round(this.width)}
      title="Drag to resize; double-click to hide"
      data-testid=${`divider-${this.pane}`}
      @pointerdown=${this.#pointerDown}
      @pointermove=${this.#pointerMove}
      @pointerup=${this.#pointerUp}
      @pointercancel=${this.#pointerUp}
      @dblclick=${this.#toggle}
      @keydown=${this.#keydown}
    ></div>`;
  }

  #pointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    this.#drag = { pointerId: event.pointerId, startX: event.clientX, startWidth: this.width };
    // Frames (the preview) would swallow the pointer while it passes over them.
    document.body.classList.add("resizing-panes");
  };

  #pointerMove = (event: PointerEvent): void => {
    const drag = this.#drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    // The pane is on the divider's right: moving left widens it.
    this.#emit(drag.startWidth + (drag.startX - event.clientX), false);
  };

  #pointerUp = (event: PointerEvent): void => {
    const drag = this.#drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    this.#drag = null;
    document.body.classList.remove("resizing-panes");
    this.#emit(drag.startWidth + (drag.startX - event.clientX), true);
  };

  #keydown = (event: KeyboardEvent): void => {
    const step = PaneLimits.keyStep * (event.shiftKey ? 10 : 1);
    let width: number;
    switch (event.key) {
      case "ArrowLeft":
        width = this.width + step;
        break;
      case "ArrowRight":
        width = this.width - step;
        break;
      case "Home":
        width = PaneLimits.minWidth;
        break;
      case "End":
        width = PaneLimits.maxWidth;
        break;
      case "Enter":
        event.preventDefault();
        this.#toggle();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.#emit(width, true);
  };

  #toggle = (): void => {
    this.dispatchEvent(new CustomEvent("pane-toggle", { detail: this.pane, bubbles: true }));
  };

  #emit(width: number, final: boolean): void {
    const detail: PaneResize = { pane: this.pane, width, final };
    this.dispatchEvent(new CustomEvent("pane-resize", { detail, bubbles: true }));
  }
}

customElements.define("pane-divider", PaneDivider);

declare global {
  interface HTMLElementTagNameMap {
    "pane-divider": PaneDivider;
  }
  interface HTMLElementEventMap {
    "pane-resize": CustomEvent<PaneResize>;
    "pane-toggle": CustomEvent<SidePane>;
  }
}
