// <session-page>: lays out one session: header (state, role, presence, sharing), terminal, side panel, status line.
import { html, LitElement, nothing } from "lit";
import { canWrite } from "../parsers/protocol";
import { describeSession } from "./api";
import { loadDisplayName, saveDisplayName } from "./display-name";
import "./name-editor";
import type { AnswerMode } from "./permission-prompt";
import { describePresenceChange, type PresenceChange } from "./presence";
import "./presence-menu";
import { SessionConnection } from "./session-connection";
import { connectionLabels, describeStatus, programName, roleLabels, serverErrorNotice } from "./session-labels";
import { findSession, type StoredSession } from "./session-store";
import "./share-links";
import "./side-panel";
import "./terminal-view";
import type { TerminalView } from "./terminal-view";
import type { ToolCall } from "./tool-calls";

/** How long a transient notice (refused keystrokes, a replaced link) stays, in milliseconds. */
const NOTICE_MS = 4_000;
/** How long a join or leave notice stays, in milliseconds. */
const PRESENCE_NOTICE_MS = 5_000;
/** Join and leave notices shown at once; older ones make room. */
const MAX_PRESENCE_NOTICES = 4;
const NO_CALLS: readonly ToolCall[] = [];
const utf8 = new TextEncoder();

interface PresenceNotice {
  id: number;
  kind: PresenceChange["kind"];
  text: string;
}

export class SessionPage extends LitElement {
  static override properties = {
    sessionId: { attribute: "session-id" },
    token: { attribute: false },
    notice: { state: true },
    presenceNotices: { state: true },
    displayName: { state: true },
    command: { state: true },
  };

  declare sessionId: string;
  /** The link's capability token (from the URL fragment). */
  declare token: string;
  /** A short message under the terminal: refused input, a server error frame. */
  declare notice: string | null;
  /** Short-lived "Ada joined as writer" / "Bob left" notices over the terminal. */
  declare presenceNotices: PresenceNotice[];
  /** The name others see ("" lets the server say "Guest"); every ticket carries it. */
  declare displayName: string;
  /** What the PTY runs, from this browser's records or the API. */
  declare command: string | undefined;

  #connection: SessionConnection | null = null;
  #stored: StoredSession | undefined;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #presenceTimers = new Set<ReturnType<typeof setTimeout>>();
  #nextPresenceNoticeId = 1;
  #lastServerErrorAt = 0;

  constructor() {
    super();
    this.sessionId = "";
    this.token = "";
    this.notice = null;
    this.presenceNotices = [];
    this.displayName = loadDisplayName();
    this.command = undefined;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#noticeTimer);
    for (const timer of this.#presenceTimers) clearTimeout(timer);
    this.#presenceTimers.clear();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("sessionId")) {
      this.#stored = findSession(this.sessionId);
      this.command = this.#stored ? this.#stored.command : this.command;
    }
    const error = this.#connection?.lastServerError;
    if (error && error.at !== this.#lastServerErrorAt) {
      this.#lastServerErrorAt = error.at;
      const notice = serverErrorNotice(error.code, error.message);
      if (notice) this.#showNotice(notice);
    }
    document.title = `${programName(this.command)} · ${this.sessionId.slice(0, 8)} · Nightona`;
  }

  protected override firstUpdated(): void {
    const terminal = this.querySelector<TerminalView>("terminal-view")!;
    this.#connection = new SessionConnection(this, {
      sessionId: this.sessionId,
      token: this.token,
      sink: terminal,
      name: () => this.displayName,
      onPresenceChanges: (changes) => this.#showPresenceChanges(changes),
    });
    terminal.focus();
    if (!this.#stored) {
      // Shared links arrive without this browser's records; the API says what the session runs.
      describeSession(this.sessionId, this.token).then(
        (info) => (this.command = info.command),
        () => undefined, // the connection reports bad links; the label just stays generic
      );
    }
  }

  override render(): unknown {
    const connection = this.#connection;
    const state = connection?.state ?? "connecting";
    const role = connection?.role ?? null;
    const isViewer = role === "viewer";
    const status = connection?.status ?? null;
    return html`
      <header class="session-header">
        <a class="brand" href="/" title="All sessions">Nightona</a>
        <span class="session-id" title=${`Session ${this.sessionId}`} data-testid="session-id">
          <span class="label">Session</span> <code>${this.sessionId.slice(0, 8)}</code>
        </span>
        <span
          class="badge connection-badge"
          data-testid="connection-state"
          data-state=${state}
          role="status"
          aria-live="polite"
          title=${connection?.lastFailure ?? ""}
          ><span class="dot" aria-hidden="true"></span>${connectionLabels[state]}</span
        >
        ${role
          ? html`<span class="badge role-badge" data-testid="role-badge" data-role=${role}>${roleLabels[role]}</span>`
          : nothing}
        ${this.#renderPresence()} ${this.#renderSize()}
        <span class="spacer"></span>
        <name-editor .name=${this.displayName} @name-change=${this.#changeName}></name-editor>
        ${this.#renderShare()}
      </header>
      <main class="session-main">
        <div class="terminal-column">
          ${isViewer
            ? html`<div class="banner read-only-banner" data-testid="read-only-banner" role="note">
                Read-only link: you are watching this session. Keystrokes are not sent.
              </div>`
            : nothing}
          <div class="terminal-pane">
            ${this.#renderConnectionBanner()} ${this.#renderPresenceNotices()}
            <terminal-view
              aria-label="Terminal"
              ?read-only=${isViewer}
              @terminal-input=${this.#input}
              @terminal-fit=${this.#fit}
            ></terminal-view>
            ${connection?.fatal
              ? html`<div class="fatal-overlay" role="alert" data-testid="fatal-error">
                  <h2>Disconnected</h2>
                  <p>${connection.fatal.message}</p>
                  <p><a href="/">Back to your sessions</a></p>
                </div>`
              : nothing}
          </div>
        </div>
        ${this.#renderSidePanel()}
      </main>
      <footer class="status-line" data-testid="status-line" data-phase=${status?.phase ?? "unknown"} aria-live="polite">
        <span class="status-text"
          >${connection?.fatal && !status ? "Not connected" : describeStatus(status, this.command)}</span
        >
        ${status?.phase === "exited" && connection?.writable
          ? html`<button class="button restart-button" data-testid="restart" @click=${() => connection.restart()}>
              Restart ${programName(this.command)}
            </button>`
          : nothing}
        ${this.notice ? html`<span class="notice" data-testid="notice">${this.notice}</span>` : nothing}
      </footer>
    `;
  }

  #renderSidePanel(): unknown {
    const connection = this.#connection;
    const role = connection?.role ?? null;
    const claudeState = connection?.claudeState ?? null;
    const answerMode: AnswerMode = role === null || !canWrite(role) ? "text" : connection?.writable ? "buttons" : "disabled";
    // A session running something else than Claude stays "starting" for the parser: no badge then.
    const showState = programName(this.command) === "Claude" || (claudeState !== null && claudeState.state !== "starting");
    return html`<side-panel
      class="side-panel"
      aria-label="Session details"
      .calls=${connection?.toolCalls ?? NO_CALLS}
      .claudeState=${claudeState}
      .showState=${showState}
      .answerMode=${answerMode}
      .sessionId=${this.sessionId}
      .token=${this.token}
      @tool-reveal=${this.#revealTool}
      @permission-choice=${this.#answerPermission}
    ></side-panel>`;
  }

  #renderPresence(): unknown {
    const connection = this.#connection;
    const presence = connection?.presence;
    // After giving up, the last list is stale: nobody here is told about joins and leaves any more.
    if (!connection || !presence || connection.state === "closed-fatal") return nothing;
    return html`<presence-menu
      .clients=${presence}
      .selfId=${connection.clientId}
      .lastInput=${connection.lastInput}
    ></presence-menu>`;
  }

  #renderPresenceNotices(): unknown {
    return html`<div class="presence-notices" role="status" aria-live="polite">
      ${this.presenceNotices.map(
        (notice) =>
          html`<div class="presence-notice" data-testid="presence-notice" data-kind=${notice.kind}>${notice.text}</div>`,
      )}
    </div>`;
  }

  #renderSize(): unknown {
    const connection = this.#connection;
    const size = connection?.ptySize;
    if (!connection || !size) return nothing;
    const desired = connection.desiredSize;
    const mayFit = connection.role !== null && canWrite(connection.role) && connection.state === "open";
    const differs = desired !== null && (desired.cols !== size.cols || desired.rows !== size.rows);
    return html`
      <span class="pty-size" data-testid="pty-size" title="Terminal size (columns × rows)">${size.cols}×${size.rows}</span>
      ${mayFit && differs
        ? html`<button type="button" class="button small" data-testid="fit-button" @click=${this.#fitToWindow}
            title="Another participant sized the terminal; resize it to this window">
            Fit to window
          </button>`
        : nothing}
    `;
  }

  #renderShare(): unknown {
    // Only the tab opened with the owner link this browser created offers its links (not a read link opened here).
    const stored = this.#stored;
    if (!stored || linkToken(stored.links.owner) !== this.token) return nothing;
    return html`<share-links
      .session=${stored}
      .ownerToken=${this.token}
      @share-notice=${(event: HTMLElementEventMap["share-notice"]) => this.#showNotice(event.detail)}
      @share-done=${this.#focusTerminal}
      @session-links-change=${(event: HTMLElementEventMap["session-links-change"]) => (this.#stored = event.detail)}
    ></share-links>`;
  }

  #renderConnectionBanner(): unknown {
    const connection = this.#connection;
    if (!connection || (connection.state !== "reconnecting" && connection.state !== "offline")) return nothing;
    const why = connection.state === "offline" ? "This browser is offline." : "The connection dropped.";
    const detail = connection.lastFailure ? ` (${connection.lastFailure})` : "";
    return html`<div class="banner connection-banner" data-testid="connection-banner" role="status">
      <span>${why}${detail} Reconnecting; nothing you type is sent until it is back.</span>
      <button type="button" class="button small" @click=${this.#retryNow}>Retry now</button>
    </div>`;
  }

  #input = (event: HTMLElementEventMap["terminal-input"]): void => {
    const connection = this.#connection;
    if (!connection || connection.sendInput(event.detail)) return;
    if (connection.role === "viewer") return;
    this.#showNotice(
      connection.state === "closed-fatal" ? "Not connected: keystrokes are not sent." : "Not connected yet: that keystroke was not sent.",
    );
  };

  #revealTool = (event: HTMLElementEventMap["tool-reveal"]): void => {
    const call = event.detail;
    const terminal = this.querySelector<TerminalView>("terminal-view");
    if (terminal && !terminal.reveal(call.start, call.target)) {
      this.#showNotice("That call is no longer in this terminal's scrollback.");
    }
  };

  #answerPermission = (event: HTMLElementEventMap["permission-choice"]): void => {
    const connection = this.#connection;
    if (!connection?.sendInput(utf8.encode(event.detail))) {
      this.#showNotice("Not connected: the answer was not sent.");
      return;
    }
    this.#focusTerminal();
  };

  #fit = (event: HTMLElementEventMap["terminal-fit"]): void => {
    this.#connection?.resize(event.detail.cols, event.detail.rows);
  };

  #retryNow = (): void => {
    this.#connection?.reconnectNow();
    this.querySelector<TerminalView>("terminal-view")?.focus();
  };

  #fitToWindow = (): void => {
    const terminal = this.querySelector<TerminalView>("terminal-view");
    const size = terminal?.fittedSize;
    if (size) this.#connection?.resize(size.cols, size.rows);
    terminal?.focus();
  };

  #changeName = (event: HTMLElementEventMap["name-change"]): void => {
    this.displayName = saveDisplayName(event.detail);
    // The name rides in the ticket: a fresh connection shows it to everyone (output resumes where it was).
    this.#connection?.reconnect();
    this.#focusTerminal();
  };

  #focusTerminal = (): void => {
    this.querySelector<TerminalView>("terminal-view")?.focus();
  };

  #showPresenceChanges(changes: PresenceChange[]): void {
    const added = changes.map((change) => ({
      id: this.#nextPresenceNoticeId++,
      kind: change.kind,
      text: describePresenceChange(change),
    }));
    this.presenceNotices = [...this.presenceNotices, ...added].slice(-MAX_PRESENCE_NOTICES);
    const ids = new Set(added.map((notice) => notice.id));
    const timer = setTimeout(() => {
      this.#presenceTimers.delete(timer);
      this.presenceNotices = this.presenceNotices.filter((notice) => !ids.has(notice.id));
    }, PRESENCE_NOTICE_MS);
    this.#presenceTimers.add(timer);
  }

  #showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }
}

/** The capability token in a session link's fragment. */
function linkToken(link: string): string | null {
  try {
    return new URLSearchParams(new URL(link).hash.slice(1)).get("token");
  } catch {
    return null;
  }
}


customElements.define("session-page", SessionPage);

declare global {
  interface HTMLElementTagNameMap {
    "session-page": SessionPage;
  }
}
