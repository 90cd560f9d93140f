// <session-page>: lays out one session: header (state, role, presence, sharing), the terminal | tool panel | preview panes, status line.
import { html, LitElement, nothing } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import { canWrite } from "../parsers/protocol";
import { describeSession } from "./api";
import { copyText } from "./clipboard";
import { loadDisplayName, saveDisplayName } from "./display-name";
import "./key-bar";
import { keyBytes, withCtrl } from "./key-bar-keys";
import "./name-editor";
import "./pane-divider";
import {
  effectiveWidths,
  loadPaneLayout,
  type PaneLayout,
  resizePane,
  savePaneLayout,
  SIDE_PANES,
  type SidePane,
  togglePane,
} from "./pane-layout";
import type { AnswerMode } from "./permission-prompt";
import { describePresenceChange, type PresenceChange } from "./presence";
import { browserStorage } from "./stored-json";
import "./presence-menu";
import "./preview-pane";
import "./provisioning-progress";
import { activeStep, provisioned, provisioningSteps, STEP_COUNT } from "./provisioning-steps";
import { SessionAwareness } from "./session-awareness";
import { SessionConnection } from "./session-connection";
import { connectionLabels, describeStatus, programName, roleLabels, serverErrorNotice } from "./session-labels";
import { findSession, type StoredSession } from "./session-store";
import "./settings-menu";
import type { SettingsMenu } from "./settings-menu";
import "./share-links";
import { isApplePlatform, type ShortcutAction, shortcutFor } from "./shortcuts";
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
const utf8Decoder = new TextDecoder();
/** At or below this width (CSS pixels) the panes become tabs, terminal first. Keep in step with styles.css. */
const NARROW_QUERY = "(max-width: 760px)";
/** Width of one pane divider, in CSS pixels (`pane-divider` in styles.css). */
const DIVIDER_PX = 7;
/** A session this browser created less than this long ago is new: its page shows the start-up steps at once, in milliseconds. */
const FRESH_SESSION_MS = 60_000;

/** The panes, as tabs on narrow screens. */
type PaneTab = "terminal" | SidePane;
const TAB_WORDS: Record<PaneTab, string> = { terminal: "Terminal", tools: "Tool calls", preview: "Preview" };
const PANE_WORDS: Record<SidePane, string> = { tools: "tool calls", preview: "preview" };

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
    layout: { state: true },
    narrow: { state: true },
    tab: { state: true },
    pageWidth: { state: true },
    ctrlArmed: { state: true },
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
  /** Side pane widths and which are collapsed (remembered per browser). */
  declare layout: PaneLayout;
  /** Narrow screen: the panes are tabs. */
  declare narrow: boolean;
  /** The pane shown on a narrow screen. */
  declare tab: PaneTab;
  /** The page's width in CSS pixels, for fitting the side panes. */
  declare pageWidth: number;
  /** The key bar's sticky Ctrl is armed: the next key is sent with Ctrl. */
  declare ctrlArmed: boolean;

  #connection: SessionConnection | null = null;
  #stored: StoredSession | undefined;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #presenceTimers = new Set<ReturnType<typeof setTimeout>>();
  #nextPresenceNoticeId = 1;
  #lastServerErrorAt = 0;
  #awareness: SessionAwareness | null = null;
  #narrowQuery: MediaQueryList | null = null;
  /** This page saw the session before it was running (or created it just now): the provisioning steps are worth showing. */
  #sawProvisioning = false;
  /** The furthest provisioning step seen under way (which one failed, if the start fails). */
  #reachedStep = 0;

  constructor() {
    super();
    this.sessionId = "";
    this.token = "";
    this.notice = null;
    this.presenceNotices = [];
    this.displayName = loadDisplayName();
    this.command = undefined;
    this.layout = loadPaneLayout(browserStorage());
    this.narrow = false;
    this.tab = "terminal";
    this.pageWidth = window.innerWidth;
    this.ctrlArmed = false;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#narrowQuery = window.matchMedia(NARROW_QUERY);
    this.narrow = this.#narrowQuery.matches;
    this.#narrowQuery.addEventListener("change", this.#onNarrowChange);
    window.addEventListener("resize", this.#onWindowResize);
    // Capture: shortcuts are handled before the terminal's own key handling sees them.
    window.addEventListener("keydown", this.#onShortcut, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#narrowQuery?.removeEventListener("change", this.#onNarrowChange);
    window.removeEventListener("resize", this.#onWindowResize);
    window.removeEventListener("keydown", this.#onShortcut, true);
    this.#awareness?.dispose();
    this.#awareness = null;
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
    this.#awareness ??= new SessionAwareness(this.sessionId);
    this.#reflectState();
  }

  protected override firstUpdated(): void {
    const terminal = this.querySelector<TerminalView>("terminal-view")!;
    this.#connection = new SessionConnection(this, {
      sessionId: this.sessionId,
      token: this.token,
      sink: this.#awareness!.activitySink(terminal),
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
    const widths = effectiveWidths(this.layout, this.pageWidth - 2 * DIVIDER_PX);
    const columns = this.narrow
      ? {}
      : { "--tools-width": `${widths.tools}px`, "--preview-width": `${widths.preview}px` };
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
          ><span class="dot" aria-hidden="true"></span><span class="badge-text">${connectionLabels[state]}</span></span
        >
        ${role
          ? html`<span class="badge role-badge" data-testid="role-badge" data-role=${role}>${roleLabels[role]}</span>`
          : nothing}
        ${this.#renderPresence()} ${this.#renderSize()}
        <span class="spacer"></span>
        <name-editor .name=${this.displayName} @name-change=${this.#changeName}></name-editor>
        ${this.#renderShare()}
        <settings-menu></settings-menu>
      </header>
      ${this.narrow ? this.#renderTabs() : nothing}
      <main
        class="session-main"
        data-testid="session-main"
        data-layout=${this.narrow ? "tabs" : "panes"}
        data-tab=${this.tab}
        data-tools=${this.layout.tools.collapsed ? "collapsed" : "shown"}
        data-preview=${this.layout.preview.collapsed ? "collapsed" : "shown"}
        style=${styleMap(columns)}
        @pane-resize=${this.#resizePane}
        @pane-toggle=${(event: HTMLElementEventMap["pane-toggle"]) => this.#togglePane(event.detail)}
      >
        <section class="pane pane-terminal" id="pane-terminal" role=${this.narrow ? "tabpanel" : nothing} aria-label="Terminal">
          ${isViewer
            ? html`<div class="banner read-only-banner" data-testid="read-only-banner" role="note">
                Read-only link: you are watching this session. Keystrokes are not sent.
              </div>`
            : nothing}
          <div class="terminal-pane">
            ${this.#renderConnectionBanner()} ${this.#renderPresenceNotices()} ${this.#renderProvisioning()}
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
          ${role !== null && canWrite(role)
            ? html`<key-bar .ctrl=${this.ctrlArmed} @key-bar-key=${this.#barKey} @key-bar-ctrl=${this.#barCtrl}></key-bar>`
            : nothing}
        </section>
        <pane-divider pane="tools" label="Tool calls" .width=${widths.tools}></pane-divider>
        <section class="pane pane-tools" id="pane-tools" role=${this.narrow ? "tabpanel" : nothing} aria-label="Tool calls">
          ${this.#renderSidePanel()}
        </section>
        <pane-divider pane="preview" label="Preview" .width=${widths.preview}></pane-divider>
        <!-- The preview pane draws itself (web/preview-pane.ts); its size, collapse and tab come from this page. -->
        <section class="pane pane-preview" id="pane-preview" role=${this.narrow ? "tabpanel" : nothing} aria-label="Preview" data-testid="preview-panel">
          <preview-pane
            .sessionId=${this.sessionId}
            .token=${this.token}
            .sandboxRunning=${this.#connection?.status?.phase === "running"}
          ></preview-pane>
        </section>
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
        ${this.#renderPaneToggles()}
      </footer>
    `;
  }

  #renderTabs(): unknown {
    const claude = this.#connection?.claudeState?.state;
    const tabs: PaneTab[] = ["terminal", "tools", "preview"];
    return html`<nav class="pane-tabs" role="tablist" aria-label="Panes" data-testid="pane-tabs" @keydown=${this.#tabKeydown}>
      ${tabs.map(
        (tab) => html`<button
          type="button"
          role="tab"
          class="pane-tab"
          id=${`tab-${tab}`}
          data-testid=${`tab-${tab}`}
          aria-selected=${this.tab === tab ? "true" : "false"}
          aria-controls=${`pane-${tab}`}
          tabindex=${this.tab === tab ? "0" : "-1"}
          @click=${() => this.#showTab(tab)}
        >
          ${TAB_WORDS[tab]}
          ${tab === "tools" && claude === "awaiting-permission"
            ? html`<span class="tab-alert" title="Claude needs permission" aria-label="(needs permission)">!</span>`
            : nothing}
        </button>`,
      )}
    </nav>`;
  }

  #renderPaneToggles(): unknown {
    if (this.narrow) return nothing;
    return html`<span class="pane-toggles" role="group" aria-label="Panes">
      ${SIDE_PANES.map(
        (pane, index) => html`<button
          type="button"
          class="button small pane-toggle"
          data-testid=${`toggle-${pane}`}
          aria-pressed=${this.layout[pane].collapsed ? "false" : "true"}
          aria-controls=${`pane-${pane}`}
          title=${`Show or hide the ${PANE_WORDS[pane]} (Ctrl+Shift+${index + 2})`}
          @click=${() => this.#togglePane(pane)}
        >
          ${TAB_WORDS[pane]}
        </button>`,
      )}
    </span>`;
  }

  #renderProvisioning(): unknown {
    const connection = this.#connection;
    if (!connection || connection.fatal) return nothing;
    const status = connection.status;
    const program = programName(this.command);
    const claude = connection.claudeState?.state ?? null;
    const step = activeStep(status, claude, program);
    if (step >= 0 && step < STEP_COUNT) this.#reachedStep = Math.max(this.#reachedStep, step);
    const created = this.#stored?.createdAt ?? 0;
    if ((status && status.phase !== "running") || (!status && Date.now() - created < FRESH_SESSION_MS)) {
      this.#sawProvisioning = true;
    }
    if (!this.#sawProvisioning) return nothing;
    const steps = provisioningSteps(status, claude, program, this.#reachedStep);
    if (provisioned(steps)) return nothing;
    return html`<provisioning-progress .steps=${steps}></provisioning-progress>`;
  }

  #renderSidePanel(): unknown {
    const connection = this.#connection;
    const role = connection?.role ?? null;
    const claudeState = connection?.claudeState ?? null;
    const answerMode: AnswerMode = role === null || !canWrite(role) ? "text" : connection?.writable ? "buttons" : "disabled";
    // Another program (a shell) shows the badge only once Claude was seen running inside it; the shell's exit is
    // not Claude's.
    const seenClaude = claudeState !== null && claudeState.state !== "starting" && claudeState.state !== "exited";
    const showState = programName(this.command) === "Claude" || seenClaude;
    return html`<side-panel
      class="side-panel"
      aria-label="Session details"
      .calls=${connection?.toolCalls ?? NO_CALLS}
      .claudeState=${claudeState}
      .showState=${showState}
      .answerMode=${answerMode}
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
    let bytes = event.detail;
    if (this.ctrlArmed) {
      // The key bar's sticky Ctrl applies to the next key typed on the (soft) keyboard.
      this.ctrlArmed = false;
      bytes = utf8.encode(withCtrl(utf8Decoder.decode(bytes)));
    }
    this.#send(bytes);
  };

  #barKey = (event: HTMLElementEventMap["key-bar-key"]): void => {
    const terminal = this.querySelector<TerminalView>("terminal-view");
    const bytes = keyBytes(event.detail, { ctrl: this.ctrlArmed, applicationCursor: terminal?.applicationCursor ?? false });
    this.ctrlArmed = false;
    this.#send(utf8.encode(bytes));
  };

  #barCtrl = (event: HTMLElementEventMap["key-bar-ctrl"]): void => {
    this.ctrlArmed = event.detail;
  };

  /** Keystrokes from the terminal or the key bar, to the PTY; a notice says when they could not be sent. */
  #send(bytes: Uint8Array): void {
    const connection = this.#connection;
    if (!connection || connection.sendInput(bytes)) return;
    if (connection.role === "viewer") return;
    this.#showNotice(
      connection.state === "closed-fatal" ? "Not connected: keystrokes are not sent." : "Not connected yet: that keystroke was not sent.",
    );
  }

  // --- panes ---

  #resizePane = (event: HTMLElementEventMap["pane-resize"]): void => {
    const { pane, width, final } = event.detail;
    this.layout = resizePane(this.layout, pane, width);
    if (final) savePaneLayout(browserStorage(), this.layout);
  };

  /** Hides a shown pane, or shows a hidden one (and on narrow screens switches to its tab). */
  #togglePane(pane: SidePane): void {
    if (this.narrow) {
      this.#showTab(this.tab === pane ? "terminal" : pane);
      return;
    }
    this.layout = togglePane(this.layout, pane);
    savePaneLayout(browserStorage(), this.layout);
    if (this.layout[pane].collapsed) this.#focusTerminal();
  }

  #showTab(tab: PaneTab): void {
    this.tab = tab;
    if (tab === "terminal") void this.updateComplete.then(() => this.#focusTerminal());
  }

  /** Arrow keys move between tabs, as in any tab list. */
  #tabKeydown = (event: KeyboardEvent): void => {
    const tabs: PaneTab[] = ["terminal", "tools", "preview"];
    const index = tabs.indexOf(this.tab);
    const next = event.key === "ArrowRight" ? index + 1 : event.key === "ArrowLeft" ? index - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    this.#showTab(tab);
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  };

  #onNarrowChange = (event: MediaQueryListEvent): void => {
    this.narrow = event.matches;
  };

  #onWindowResize = (): void => {
    this.pageWidth = window.innerWidth;
  };

  // --- shortcuts ---

  #onShortcut = (event: KeyboardEvent): void => {
    const action = shortcutFor(event, isApplePlatform());
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    this.#run(action);
  };

  #run(action: ShortcutAction): void {
    switch (action) {
      case "find":
        if (this.narrow) this.tab = "terminal";
        this.querySelector<TerminalView>("terminal-view")?.openSearch();
        return;
      case "focus-terminal":
        if (this.narrow) this.#showTab("terminal");
        else this.#focusTerminal();
        return;
      case "toggle-tools":
      case "toggle-preview":
        this.#togglePane(action === "toggle-tools" ? "tools" : "preview");
        return;
      case "copy-share-link":
        void this.#copyShareLink();
        return;
      case "show-shortcuts":
        this.querySelector<SettingsMenu>("settings-menu")?.show("shortcuts");
        return;
      default:
        action satisfies never;
    }
  }

  /** The owner copies the read link (safe to hand out); anyone else copies the link this page was opened with. */
  async #copyShareLink(): Promise<void> {
    const stored = this.#stored;
    const isOwner = stored !== undefined && linkToken(stored.links.owner) === this.token;
    const link = isOwner ? stored.links.read : location.href;
    const what = isOwner ? "Read link" : "This page's link";
    this.#showNotice((await copyText(link)) ? `${what} copied` : `Could not copy; the link is ${link}`);
  }

  /** Title, favicon, notifications and this browser's session list follow the session's state. */
  #reflectState(): void {
    const connection = this.#connection;
    const state = this.#awareness?.reflect(
      {
        program: programName(this.command),
        sessionId: this.sessionId,
        connection: connection?.state ?? "connecting",
        phase: connection?.status?.phase ?? null,
        claude: connection?.claudeState?.state ?? null,
      },
      connection?.claudeState ?? null,
      connection?.toolCalls ?? NO_CALLS,
      connection?.state === "open",
    );
    if (state) this.dataset.tabState = state;
  }

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
