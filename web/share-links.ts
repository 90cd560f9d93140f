// <share-links>: the owner's share buttons: copy the write or read link, or replace one (the old link stops working).
import { html, LitElement } from "lit";
import { replaceLink, type ShareLinkKind } from "./api";
import { copyText } from "./clipboard";
import { saveSession, type StoredSession } from "./session-store";

/** How long "Copied ✓" stays on a copy button, in milliseconds. */
const COPIED_MS = 2_000;
/** How long a replace button waits for the confirming second click, in milliseconds. */
const CONFIRM_MS = 5_000;

const LINK_WORDS: Record<ShareLinkKind, { title: string; copyHint: string }> = {
  write: { title: "Write", copyHint: "Anyone with this link can type in the terminal" },
  read: { title: "Read", copyHint: "Anyone with this link can watch" },
};

/**
 * Events (all bubble):
 * - `share-notice` (detail: text): something to tell the person (a replaced link, a failed copy)
 * - `share-done`: a copy or replace finished; the page puts the focus back in the terminal
 * - `session-links-change` (detail: the updated StoredSession): a link was replaced and stored
 */
export class ShareLinks extends LitElement {
  static override properties = {
    session: { attribute: false },
    ownerToken: { attribute: false },
    copied: { state: true },
    armed: { state: true },
    replacing: { state: true },
  };

  /** This browser's record of the session, with its links. */
  declare session: StoredSession;
  /** The owner link's token: only the owner may replace links. */
  declare ownerToken: string;
  /** Which link was just copied. */
  declare copied: ShareLinkKind | null;
  /** Which replace button waits for its confirming second click. */
  declare armed: ShareLinkKind | null;
  /** Which link is being replaced. */
  declare replacing: ShareLinkKind | null;

  #copiedTimer: ReturnType<typeof setTimeout> | undefined;
  #armedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.copied = null;
    this.armed = null;
    this.replacing = null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#copiedTimer);
    clearTimeout(this.#armedTimer);
  }

  override render(): unknown {
    return html`<div class="share" role="group" aria-label="Share this session" @keydown=${this.#onKeydown}>
      ${this.#renderLink("write")} ${this.#renderLink("read")}
    </div>`;
  }

  #renderLink(kind: ShareLinkKind): unknown {
    const words = LINK_WORDS[kind];
    const armed = this.armed === kind;
    const replacing = this.replacing === kind;
    return html`<span class="share-link" data-link=${kind}>
      <button type="button" class="button" data-testid=${`copy-${kind}-link`} title=${words.copyHint} @click=${() => this.#copy(kind)}>
        ${this.copied === kind ? "Copied ✓" : html`Copy ${kind}<span class="link-word">link</span>`}
      </button>
      <button
        type="button"
        class="button small subtle replace-button"
        data-testid=${`replace-${kind}-link`}
        data-armed=${armed ? "true" : "false"}
        title=${`Make a new ${kind} link; the current one stops working and its viewers are disconnected`}
        aria-label=${armed ? `Click again to replace the ${kind} link` : `Replace ${kind} link`}
        ?disabled=${replacing}
        aria-busy=${replacing ? "true" : "false"}
        @click=${() => this.#replace(kind)}
      >
        ${replacing ? "Replacing…" : armed ? "Click again to replace" : `Replace ${kind} link`}
      </button>
    </span>`;
  }

  async #copy(kind: ShareLinkKind): Promise<void> {
    const link = this.session.links[kind];
    const copied = await copyText(link);
    if (copied) {
      this.copied = kind;
      clearTimeout(this.#copiedTimer);
      this.#copiedTimer = setTimeout(() => (this.copied = null), COPIED_MS);
    } else {
      this.#notice(`Could not copy; the ${kind} link is ${link}`);
    }
    this.#done();
  }

  async #replace(kind: ShareLinkKind): Promise<void> {
    if (this.replacing) return;
    if (this.armed !== kind) {
      // The first click only arms the button: replacing disconnects everyone on the old link.
      this.armed = kind;
      clearTimeout(this.#armedTimer);
      this.#armedTimer = setTimeout(() => (this.armed = null), CONFIRM_MS);
      return;
    }
    clearTimeout(this.#armedTimer);
    this.armed = null;
    this.replacing = kind;
    try {
      const url = await replaceLink(this.session.id, this.ownerToken, kind);
      const session: StoredSession = { ...this.session, links: { ...this.session.links, [kind]: url } };
      saveSession(session);
      this.session = session;
      this.dispatchEvent(new CustomEvent("session-links-change", { detail: session, bubbles: true, composed: true }));
      this.#notice(`${LINK_WORDS[kind].title} link replaced — old link no longer works`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#notice(`Could not replace the ${kind} link: ${why}`);
    } finally {
      this.replacing = null;
    }
    this.#done();
  }

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === "Escape" && this.armed) {
      clearTimeout(this.#armedTimer);
      this.armed = null;
    }
  };

  #notice(text: string): void {
    this.dispatchEvent(new CustomEvent("share-notice", { detail: text, bubbles: true, composed: true }));
  }

  #done(): void {
    this.dispatchEvent(new CustomEvent("share-done", { bubbles: true, composed: true }));
  }
}

customElements.define("share-links", ShareLinks);

declare global {
  interface HTMLElementTagNameMap {
    "share-links": ShareLinks;
  }
  interface HTMLElementEventMap {
    "share-notice": CustomEvent<string>;
    "share-done": CustomEvent<void>;
    "session-links-change": CustomEvent<StoredSession>;
  }
}
