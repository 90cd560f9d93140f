// <presence-menu>: the header's "N people here" badge; it opens the list of everyone attached (Esc or a click elsewhere closes it).
import { html, LitElement, nothing } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import type { PresenceEntry } from "../parsers/protocol";
import { PopoverDismissal } from "./popover-dismissal";
import { describeHeadcount, describeRoles, orderPresence, presenceRoleWords, safeColor } from "./presence";

export class PresenceMenu extends LitElement {
  static override properties = {
    clients: { attribute: false },
    selfId: { attribute: false },
    lastInput: { attribute: false },
    open: { type: Boolean, reflect: true },
  };

  /** Everyone attached, in the server's order. */
  declare clients: PresenceEntry[];
  /** This client's id (`hello.clientId`). */
  declare selfId: string | null;
  /** Whose keystrokes reached the PTY most recently. */
  declare lastInput: string | null;
  declare open: boolean;

  readonly #dismissal = new PopoverDismissal(this);

  constructor() {
    super();
    this.clients = [];
    this.selfId = null;
    this.lastInput = null;
    this.open = false;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const clients = this.clients;
    return html`
      <button
        type="button"
        class="badge presence"
        data-testid="presence-count"
        data-count=${clients.length}
        aria-haspopup="dialog"
        aria-expanded=${this.open ? "true" : "false"}
        aria-controls="presence-list"
        title=${`${describeRoles(clients)}; show who is here`}
        @click=${this.#toggle}
        @keydown=${this.#dismissal.onKeydown}
      >
        <span class="presence-dots" aria-hidden="true"
          >${orderPresence(clients, this.selfId).slice(0, 4).map((entry) => html`<span class="presence-dot" style=${styleMap(dotStyle(entry))}></span>`)}</span
        >
        <span class="presence-words">${describeHeadcount(clients.length)}</span> <span class="caret" aria-hidden="true">▾</span>
      </button>
      ${this.open
        ? html`<div
            id="presence-list"
            class="presence-popover"
            data-testid="presence-list"
            role="dialog"
            aria-label="People in this session"
            tabindex="-1"
            @keydown=${this.#dismissal.onKeydown}
            @focusout=${this.#dismissal.onFocusOut}
          >
            <ul class="presence-entries">
              ${orderPresence(clients, this.selfId).map((entry) => this.#renderEntry(entry))}
            </ul>
          </div>`
        : nothing}
    `;
  }

  #renderEntry(entry: PresenceEntry): unknown {
    const you = entry.id === this.selfId;
    const last = entry.id === this.lastInput;
    return html`<li
      class="presence-entry"
      data-testid="presence-entry"
      data-client-id=${entry.id}
      data-role=${entry.role}
      data-you=${you ? "true" : "false"}
      data-last-input=${last ? "true" : "false"}
    >
      <span class="presence-dot" aria-hidden="true" style=${styleMap(dotStyle(entry))}></span>
      <span class="presence-name">${entry.name}${you ? html` <span class="presence-you">(you)</span>` : nothing}</span>
      <span class="presence-role" data-role=${entry.role}>${presenceRoleWords[entry.role]}</span>
      ${last ? html`<span class="presence-typed" title="Typed in the terminal most recently">last typed</span>` : nothing}
    </li>`;
  }

  /** Opens the list and moves the focus into it, so Esc and Tab work from there. */
  show(): void {
    this.open = true;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(".presence-popover")?.focus());
  }

  /** Closes the list; `refocus` puts the focus back on the badge (closing from the keyboard). */
  hide(refocus = false): void {
    if (!this.open) return;
    this.open = false;
    if (refocus) this.querySelector<HTMLElement>("[data-testid=presence-count]")?.focus();
  }

  #toggle = (): void => {
    if (this.open) this.hide();
    else this.show();
  };

}

function dotStyle(entry: PresenceEntry): Record<string, string> {
  return { background: safeColor(entry.color) ?? "var(--text-dim)" };
}

customElements.define("presence-menu", PresenceMenu);

declare global {
  interface HTMLElementTagNameMap {
    "presence-menu": PresenceMenu;
  }
}
