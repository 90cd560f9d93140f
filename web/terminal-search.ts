// <terminal-search>: the find bar over the terminal (Ctrl+Shift+F, or Cmd+F on a Mac); it draws and emits, the terminal view searches.
import { html, LitElement, nothing } from "lit";

export interface SearchRequest {
  term: string;
  backwards: boolean;
}

export class TerminalSearch extends LitElement {
  static override properties = {
    open: { type: Boolean, reflect: true },
    results: { attribute: false },
  };

  declare open: boolean;
  /** Match position from the search addon, or null when unknown. */
  declare results: { index: number; count: number } | null;

  constructor() {
    super();
    this.open = false;
    this.results = null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Shows the bar and puts the cursor in its field. */
  show(): void {
    this.open = true;
    void this.updateComplete.then(() => {
      const input = this.querySelector("input");
      input?.focus();
      input?.select();
    });
  }

  override render(): unknown {
    if (!this.open) return nothing;
    const { results } = this;
    const count =
      results === null ? "" : results.count === 0 ? "No matches" : `${results.index + 1} of ${results.count}`;
    return html`
      <form class="search-bar" role="search" @submit=${this.#submit} @keydown=${this.#keydown}>
        <label class="visually-hidden" for="terminal-search-input">Find in terminal</label>
        <input
          id="terminal-search-input"
          data-testid="terminal-search-input"
          type="search"
          placeholder="Find in terminal"
          autocomplete="off"
          spellcheck="false"
          @input=${this.#input}
        />
        <span class="search-count" aria-live="polite">${count}</span>
        <button type="button" class="icon-button" title="Previous match (Shift+Enter)" aria-label="Previous match" @click=${() => this.#emit(true)}>↑</button>
        <button type="submit" class="icon-button" title="Next match (Enter)" aria-label="Next match">↓</button>
        <button type="button" class="icon-button" title="Close (Esc)" aria-label="Close search" @click=${this.#close}>✕</button>
      </form>
    `;
  }

  #value(): string {
    return this.querySelector("input")?.value ?? "";
  }

  #input = (): void => this.#emit(false, true);

  /** Enter, or the "next" button. */
  #submit = (event: Event): void => {
    event.preventDefault();
    this.#emit(false);
  };

  #keydown = (event: KeyboardEvent): void => {
    if (event.key === "Escape") {
      event.preventDefault();
      this.#close();
    } else if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      this.#emit(true);
    }
  };

  #emit(backwards: boolean, incremental = false): void {
    const detail: SearchRequest & { incremental: boolean } = { term: this.#value(), backwards, incremental };
    this.dispatchEvent(new CustomEvent("search-request", { detail, bubbles: true }));
  }

  #close = (): void => {
    this.open = false;
    this.results = null;
    this.dispatchEvent(new CustomEvent("search-close", { bubbles: true }));
  };
}

customElements.define("terminal-search", TerminalSearch);

declare global {
  interface HTMLElementTagNameMap {
    "terminal-search": TerminalSearch;
  }
  interface HTMLElementEventMap {
    "search-request": CustomEvent<SearchRequest & { incremental: boolean }>;
    "search-close": CustomEvent<void>;
  }
}
