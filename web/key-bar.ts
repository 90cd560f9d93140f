// <key-bar>: the row of keys phones lack (Esc, Tab, Shift-Tab, a sticky Ctrl, arrows, Ctrl-C, /) under the terminal.
import { html, LitElement } from "lit";
import type { BarKey } from "./key-bar-keys";

const KEYS: ReadonlyArray<{ key: BarKey; label: string; name: string }> = [
  { key: "esc", label: "Esc", name: "Escape" },
  { key: "tab", label: "Tab", name: "Tab" },
  { key: "shift-tab", label: "⇧Tab", name: "Shift Tab" },
  { key: "ctrl-c", label: "^C", name: "Control C (interrupt)" },
  { key: "slash", label: "/", name: "Slash" },
  { key: "left", label: "←", name: "Left arrow" },
  { key: "up", label: "↑", name: "Up arrow" },
  { key: "down", label: "↓", name: "Down arrow" },
  { key: "right", label: "→", name: "Right arrow" },
];

/**
 * Buttons keep the focus where it is (in the terminal), so a phone's soft keyboard stays open while they are used.
 * Events (bubble):
 * - `key-bar-key` (detail: the key): a key was pressed; the page sends its bytes
 * - `key-bar-ctrl` (detail: armed or not): the sticky Ctrl was toggled
 */
export class KeyBar extends LitElement {
  static override properties = {
    ctrl: { type: Boolean, reflect: true },
  };

  /** Sticky Ctrl is armed: the next key (from the bar or the keyboard) is sent with Ctrl. */
  declare ctrl: boolean;

  constructor() {
    super();
    this.ctrl = false;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    return html`<div class="key-bar" role="toolbar" aria-label="Terminal keys" data-testid="key-bar">
      <button
        type="button"
        class="key"
        data-key="ctrl"
        data-testid="key-ctrl"
        aria-pressed=${this.ctrl ? "true" : "false"}
        aria-label="Control (sticky: applies to the next key)"
        @pointerdown=${keepFocus}
        @click=${this.#toggleCtrl}
      >
        Ctrl
      </button>
      ${KEYS.map(
        ({ key, label, name }) =>
          html`<button
            type="button"
            class="key"
            data-key=${key}
            data-testid=${`key-${key}`}
            aria-label=${name}
            @pointerdown=${keepFocus}
            @click=${() => this.#press(key)}
          >
            ${label}
          </button>`,
      )}
    </div>`;
  }

  #toggleCtrl = (): void => {
    this.ctrl = !this.ctrl;
    this.dispatchEvent(new CustomEvent("key-bar-ctrl", { detail: this.ctrl, bubbles: true }));
  };

  #press(key: BarKey): void {
    this.dispatchEvent(new CustomEvent("key-bar-key", { detail: key, bubbles: true }));
  }
}

/** A press on a key must not move the focus out of the terminal (that would close the soft keyboard). */
function keepFocus(event: PointerEvent): void {
  event.preventDefault();
}

customElements.define("key-bar", KeyBar);

declare global {
  interface HTMLElementTagNameMap {
    "key-bar": KeyBar;
  }
  interface HTMLElementEventMap {
    "key-bar-key": CustomEvent<BarKey>;
    "key-bar-ctrl": CustomEvent<boolean>;
  }
}
