// <name-editor>: "You: <name>" in the session header; a click turns it into a field (Enter saves, Esc cancels).
import { html, LitElement, nothing } from "lit";
import { Limits } from "../parsers/protocol";
import { cleanDisplayName, DEFAULT_DISPLAY_NAME } from "./display-name";

/**
 * Events:
 * - `name-change` (detail: the cleaned name, "" for none): the person saved a different name
 */
export class NameEditor extends LitElement {
  static override properties = {
    name: {},
    editing: { type: Boolean, reflect: true },
  };

  /** The current display name; "" when none was chosen. */
  declare name: string;
  declare editing: boolean;

  constructor() {
    super();
    this.name = "";
    this.editing = false;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    // While editing, the button stays (hidden) to hold its place: the field floats over it, so the header never reflows.
    return html`<button
        type="button"
        class="button small subtle name-button"
        data-testid="name-button"
        title="Change the name others see"
        aria-hidden=${this.editing ? "true" : "false"}
        tabindex=${this.editing ? "-1" : "0"}
        @click=${this.#edit}
      >
        <span class="name-label">You:</span> <span class="name-value">${this.name || DEFAULT_DISPLAY_NAME}</span>
      </button>
      ${this.editing
        ? html`<label class="name-field">
            <span class="visually-hidden">Your name, as others in this session see it</span>
            <input
              data-testid="name-input"
              type="text"
              .value=${this.name}
              maxlength=${Limits.maxNameLength}
              placeholder=${DEFAULT_DISPLAY_NAME}
              autocomplete="nickname"
              spellcheck="false"
              enterkeyhint="done"
              @keydown=${this.#onKeydown}
              @blur=${this.#onBlur}
            />
          </label>`
        : nothing}`;
  }

  #edit = async (): Promise<void> => {
    this.editing = true;
    await this.updateComplete;
    const input = this.querySelector("input");
    input?.focus();
    input?.select();
  };

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === "Enter") {
      event.preventDefault();
      this.#finish(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.#finish(false);
    }
  };

  /** Clicking elsewhere keeps what was typed, as Enter does. */
  #onBlur = (): void => {
    if (this.editing) this.#finish(true, false);
  };

  #finish(save: boolean, refocus = true): void {
    const raw = this.querySelector("input")?.value ?? this.name;
    this.editing = false; // before anything moves the focus, so the field's blur does not finish twice
    const name = cleanDisplayName(raw);
    if (save && name !== this.name) {
      this.dispatchEvent(new CustomEvent("name-change", { detail: name, bubbles: true, composed: true }));
      return; // the page puts the focus back in the terminal
    }
    if (refocus) void this.updateComplete.then(() => this.querySelector<HTMLElement>("[data-testid=name-button]")?.focus());
  }
}

customElements.define("name-editor", NameEditor);

declare global {
  interface HTMLElementTagNameMap {
    "name-editor": NameEditor;
  }
  interface HTMLElementEventMap {
    "name-change": CustomEvent<string>;
  }
}
