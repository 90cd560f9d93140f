// <permission-prompt>: the options of the permission menu Claude shows; writers pick one here, viewers only read them.
import { html, LitElement, nothing } from "lit";
import type { MenuOption } from "../parsers/protocol";
import type { ToolCall } from "./tool-calls";
import { shortTarget, toolLabel } from "./tool-kinds";

/**
 * How the options are offered:
 * - `buttons`: this client may answer
 * - `disabled`: it may answer once the connection is back
 * - `text`: it may not answer (a read-only link)
 */
export type AnswerMode = "buttons" | "disabled" | "text";

/** Names for the keys an option sends, when they are not a plain digit. */
const KEY_NAMES: Record<string, string> = { "\r": "Enter", "\x1b": "Esc", "\t": "Tab", "\x1b[Z": "Shift+Tab" };

/**
 * Events:
 * - `permission-choice` (detail: the bytes to send, as text): the user picked an option
 */
export class PermissionPrompt extends LitElement {
  static override properties = {
    options: { attribute: false },
    call: { attribute: false },
    mode: {},
  };

  declare options: readonly MenuOption[];
  /** The call waiting for the answer, when the panel knows it. */
  declare call: ToolCall | null;
  declare mode: AnswerMode;

  constructor() {
    super();
    this.options = [];
    this.call = null;
    this.mode = "text";
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const call = this.call;
    return html`<div class="permission-prompt" role="group" aria-labelledby="permission-question" data-testid="permission-prompt">
      <p id="permission-question" class="permission-question">
        Claude needs permission${call
          ? html` for <strong>${toolLabel(call.tool)}</strong>
              ${call.target ? html`<code title=${call.target}>${shortTarget(call.tool, call.target)}</code>` : nothing}`
          : nothing}
      </p>
      ${this.mode === "text" ? this.#text() : this.#buttons()}
    </div>`;
  }

  #buttons(): unknown {
    return html`<div class="permission-options">
      ${this.options.map(
        (option, index) =>
          html`<button
            type="button"
            class=${index === 0 ? "button small permission-option primary" : "button small permission-option"}
            data-testid="permission-option"
            ?disabled=${this.mode === "disabled"}
            title=${this.mode === "disabled" ? "Not connected: the answer cannot be sent yet" : ""}
            @click=${() => this.#choose(option)}
          >
            <span class="permission-label">${option.label}</span>${keyHint(option.keys)}
          </button>`,
      )}
    </div>`;
  }

  #text(): unknown {
    return html`<ul class="permission-options read-only">
        ${this.options.map(
          (option) =>
            html`<li class="permission-option" data-testid="permission-option">
              <span class="permission-label">${option.label}</span>${keyHint(option.keys)}
            </li>`,
        )}
      </ul>
      <p class="permission-note">Someone with a write link answers in the terminal.</p>`;
  }

  #choose(option: MenuOption): void {
    this.dispatchEvent(new CustomEvent("permission-choice", { detail: option.keys, bubbles: true, composed: true }));
  }
}

function keyHint(keys: string): unknown {
  const name = /^[0-9]$/.test(keys) ? keys : KEY_NAMES[keys];
  return name ? html`<kbd class="key-hint">${name}</kbd>` : nothing;
}

customElements.define("permission-prompt", PermissionPrompt);

declare global {
  interface HTMLElementTagNameMap {
    "permission-prompt": PermissionPrompt;
  }
  interface HTMLElementEventMap {
    "permission-choice": CustomEvent<string>;
  }
}
