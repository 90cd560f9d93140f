// <preview-pane>: the app on the sandbox's port 3000 in a frame, with a URL bar, reload, open in a new tab, a width
// toggle, and a plain state with Retry while nothing answers yet.
import { html, LitElement, nothing } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { PREVIEW_PORT } from "../snapshot/preview";
import { PreviewLink } from "./preview-link";
import "./preview-pane.css";

/** Frame widths a person can preview the app at, in CSS pixels (null: the pane's width). */
export const PREVIEW_WIDTHS = { phone: 390, tablet: 820, full: null } as const;
export type PreviewWidth = keyof typeof PREVIEW_WIDTHS;
const WIDTH_LABELS: Record<PreviewWidth, string> = { phone: "Phone", tablet: "Tablet", full: "Full" };

export class PreviewPane extends LitElement {
  static override properties = {
    sessionId: { attribute: false },
    token: { attribute: false },
    sandboxRunning: { attribute: false },
    width: { state: true },
    frameUrl: { state: true },
    stageWidth: { state: true },
  };

  declare sessionId: string;
  /** The link's capability token; viewers may see the preview too. */
  declare token: string;
  /** The session's terminal is attached, so its sandbox runs: a preview that was not there may be now. */
  declare sandboxRunning: boolean;
  declare width: PreviewWidth;
  /** What the frame shows: the preview URL, or a page under it typed into the URL bar. */
  declare frameUrl: string | null;
  /** The stage's width in CSS pixels, for scaling a phone or tablet frame that does not fit. */
  declare stageWidth: number;

  readonly #link = new PreviewLink(this, { sessionId: () => this.sessionId, token: () => this.token });
  /** The preview URL `frameUrl` derives from; a renewed URL carries the page shown over to the new one. */
  #baseUrl: string | null = null;
  /** Bumped by Reload: a new key makes a new frame, which loads its URL again (a cross-origin frame cannot be told to). */
  #frameLoads = 0;
  #resizeObserver = new ResizeObserver((entries) => {
    const width = entries[0]?.contentRect.width ?? 0;
    if (Math.abs(width - this.stageWidth) >= 1) this.stageWidth = width;
  });

  constructor() {
    super();
    this.sessionId = "";
    this.token = "";
    this.sandboxRunning = false;
    this.width = "full";
    this.frameUrl = null;
    this.stageWidth = 0;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver.disconnect();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("sandboxRunning") && this.sandboxRunning && this.#link.preview?.state !== "ready") {
      void this.#link.retryNow(); // do not wait out the back-off: the sandbox just came up
    }
    const preview = this.#link.preview;
    const url = preview?.state === "ready" ? (preview.url ?? null) : null;
    if (url && url !== this.#baseUrl) {
      this.frameUrl = this.#baseUrl && this.frameUrl ? rebase(this.frameUrl, this.#baseUrl, url) : url;
      this.#baseUrl = url;
    }
  }

  protected override updated(): void {
    const stage = this.querySelector(".preview-stage");
    if (stage) this.#resizeObserver.observe(stage);
  }

  override render(): unknown {
    const state = this.#state();
    const ready = state === "ready" && this.frameUrl !== null;
    return html`
      <div class="preview-toolbar">
        <h2 id="preview-heading" class="panel-heading">Preview</h2>
        <div class="preview-widths" role="group" aria-label="Preview width">
          ${(Object.keys(PREVIEW_WIDTHS) as PreviewWidth[]).map(
            (width) =>
              html`<button
                type="button"
                class="button small"
                data-testid="preview-width"
                data-width=${width}
                aria-pressed=${this.width === width ? "true" : "false"}
                @click=${() => (this.width = width)}
              >
                ${WIDTH_LABELS[width]}
              </button>`,
          )}
        </div>
      </div>
      <div class="preview-address">
        <button type="button" class="icon-button" data-testid="preview-reload" title="Reload the preview" aria-label="Reload the preview" @click=${this.#reload}>
          ⟳
        </button>
        <input
          class="preview-url"
          data-testid="preview-url"
          aria-label="Preview address"
          spellcheck="false"
          .value=${this.frameUrl ?? ""}
          placeholder=${`Port ${PREVIEW_PORT}`}
          ?disabled=${!ready}
          @keydown=${this.#navigate}
        />
        ${ready
          ? html`<a class="icon-button" data-testid="preview-open" href=${this.frameUrl!} target="_blank" rel="noopener noreferrer"
              title="Open in a new tab" aria-label="Open the preview in a new tab">↗</a>`
          : nothing}
      </div>
      <div class="preview-stage" data-testid="preview-stage" data-state=${state} data-width=${this.width}>
        ${ready ? this.#renderFrame() : this.#renderEmpty(state)}
      </div>
    `;
  }

  #renderFrame(): unknown {
    const device = PREVIEW_WIDTHS[this.width];
    // A phone or tablet wider than the stage is drawn at its own width and scaled down to fit.
    const scale = device !== null && this.stageWidth > 0 ? Math.min(1, this.stageWidth / device) : 1;
    const style =
      device === null ? "" : `width:${device}px;height:${100 / scale}%;transform:scale(${scale});transform-origin:0 0;`;
    return keyed(
      this.#frameLoads,
      html`<iframe
        class="preview-frame"
        data-testid="preview-frame"
        title="App preview"
        src=${this.frameUrl!}
        style=${style}
        referrerpolicy="no-referrer"
        sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"
      ></iframe>`,
    );
  }

  #renderEmpty(state: string): unknown {
    const failure = this.#link.failure;
    const message =
      state === "unavailable"
        ? "The preview is not available with this link."
        : state === "loading"
          ? "Looking for the app…"
          : state === "stopped"
            ? "The sandbox is not running. Opening or typing in the terminal starts it."
            : state === "not-listening"
              ? `Nothing is listening on port ${PREVIEW_PORT} yet. Start the app's dev server (npm run dev) or ask Claude to build one; this pane checks again by itself.`
              : `The preview is unavailable: ${failure?.message ?? this.#link.preview?.message ?? "unknown error"}.`;
    return html`<div class="preview-empty" data-testid="preview-empty" role="status">
      <p class="empty-state">${message}</p>
      ${state === "unavailable" || state === "loading"
        ? nothing
        : html`<button type="button" class="button small" data-testid="preview-retry" @click=${() => this.#link.retryNow()}>Retry</button>`}
    </div>`;
  }

  /** loading (no answer yet), unavailable (this link cannot see it), error, or the API's state. */
  #state(): string {
    const failure = this.#link.failure;
    if (failure) return failure.fatal ? "unavailable" : "error";
    return this.#link.preview?.state ?? "loading";
  }

  #reload = (): void => {
    this.#frameLoads++;
    this.requestUpdate();
    void this.#link.retryNow();
  };

  /** Enter in the URL bar opens that address in the frame, when it is under the preview URL (a path works too). */
  #navigate = (event: KeyboardEvent): void => {
    if (event.key !== "Enter" || !this.#baseUrl) return;
    const input = event.target as HTMLInputElement;
    const typed = input.value.trim();
    let target: URL;
    try {
      target = typed.startsWith("/") ? new URL(typed.slice(1), this.#baseUrl) : new URL(typed);
    } catch {
      input.value = this.frameUrl ?? "";
      return;
    }
    if (!target.href.startsWith(this.#baseUrl)) {
      input.value = this.frameUrl ?? "";
      return;
    }
    this.frameUrl = target.href;
    this.#frameLoads++;
  };
}

/** `url` (under `from`) moved under `to`: the same page at a renewed preview URL. */
function rebase(url: string, from: string, to: string): string {
  return url.startsWith(from) ? to + url.slice(from.length) : to;
}

customElements.define("preview-pane", PreviewPane);

declare global {
  interface HTMLElementTagNameMap {
    "preview-pane": PreviewPane;
  }
}
