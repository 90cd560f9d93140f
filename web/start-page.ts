// <start-page>: starts a new session (Claude Code, or a plain shell) and lists the sessions this browser created, with their state.
import { html, LitElement, nothing } from "lit";
import { Limits } from "../parsers/protocol";
import { createSession } from "./api";
import { navigate } from "./router";
import { forgetSession, listSessions, saveSession, type StoredSession } from "./session-store";
import { programName } from "./session-labels";
import { tabStateLabels } from "./tab-indicator";
import { terminalOptions } from "./terminal-theme";

/** Space the session page gives to things other than the terminal, in CSS pixels. */
const CHROME = { width: 320 + 30, height: 90 } as const;

export class StartPage extends LitElement {
  static override properties = {
    sessions: { state: true },
    creating: { state: true },
    error: { state: true },
  };

  declare sessions: StoredSession[];
  /** Which button's request is in flight. */
  declare creating: "claude" | "shell" | null;
  declare error: string | null;

  constructor() {
    super();
    this.sessions = listSessions();
    this.creating = null;
    this.error = null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = "Nightona";
    this.sessions = listSessions();
  }

  protected override firstUpdated(): void {
    this.querySelector<HTMLButtonElement>("#new-session")?.focus();
  }

  override render(): unknown {
    const busy = this.creating !== null;
    return html`
      <main class="start-page">
        <header class="start-header">
          <h1>Nightona</h1>
          <p class="tagline">Claude Code in a real terminal, in your browser. Share a link to pair or to watch.</p>
        </header>
        <section class="start-actions" aria-label="Start a session">
          <button
            id="new-session"
            data-testid="new-session"
            type="button"
            class="button primary large"
            ?disabled=${busy}
            aria-busy=${this.creating === "claude" ? "true" : "false"}
            @click=${() => this.#create("claude")}
          >
            ${this.creating === "claude" ? "Starting…" : "New session"}
            <span class="button-hint">Claude Code</span>
          </button>
          <button
            id="new-shell"
            data-testid="new-shell"
            type="button"
            class="button large"
            ?disabled=${busy}
            aria-busy=${this.creating === "shell" ? "true" : "false"}
            @click=${() => this.#create("shell")}
          >
            ${this.creating === "shell" ? "Starting…" : "New shell"}
            <span class="button-hint">bash</span>
          </button>
        </section>
        ${this.error ? html`<p class="form-error" role="alert" data-testid="start-error">${this.error}</p>` : nothing}
        <section class="session-list" aria-labelledby="session-list-heading">
          <h2 id="session-list-heading">Your sessions</h2>
          ${this.sessions.length === 0
            ? html`<p class="empty-state" data-testid="session-list-empty">
                Sessions you start in this browser are listed here.
              </p>`
            : html`<ul data-testid="session-list">
                ${this.sessions.map((session) => this.#renderSession(session))}
              </ul>`}
        </section>
      </main>
    `;
  }

  #renderSession(session: StoredSession): unknown {
    const created = new Date(session.createdAt);
    const active = new Date(session.lastActivityAt ?? session.createdAt);
    const state = session.lastState && session.lastState in tabStateLabels ? session.lastState : null;
    return html`<li class="session-item" data-session-id=${session.id} data-state=${state ?? "unknown"}>
      <a class="session-link" href=${session.links.owner} @click=${this.#open(session)}>
        <span class="session-program">${programName(session.command)}</span>
        <code class="session-code">${session.id.slice(0, 8)}</code>
        ${state
          ? html`<span class="badge session-state" data-state=${state} title="As this browser last saw it"
              ><span class="dot" aria-hidden="true"></span>${tabStateLabels[state]}</span
            >`
          : nothing}
        <span class="session-activity">
          active
          <time datetime=${active.toISOString()} title=${`Last activity ${active.toLocaleString()}; started ${created.toLocaleString()}`}
            >${relativeTime(active)}</time
          >
        </span>
      </a>
      <button
        type="button"
        class="button small subtle"
        aria-label=${`Forget session ${session.id.slice(0, 8)}`}
        title="Remove from this list (the session keeps running)"
        @click=${() => this.#forget(session.id)}
      >
        Forget
      </button>
    </li>`;
  }

  #open(session: StoredSession) {
    return (event: MouseEvent): void => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(session.links.owner);
    };
  }

  async #create(kind: "claude" | "shell"): Promise<void> {
    if (this.creating) return;
    this.creating = kind;
    this.error = null;
    const command = kind === "shell" ? "bash" : undefined;
    try {
      const created = await createSession({ ...(command ? { command } : {}), ...initialSize() });
      saveSession({ id: created.id, command, createdAt: Date.now(), links: created.links });
      navigate(created.links.owner);
    } catch (error) {
      this.error = `Could not start a session: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.creating = null;
    }
  }

  #forget(id: string): void {
    forgetSession(id);
    this.sessions = listSessions();
  }
}

/** A PTY size close to what the session page's terminal will fit in this window; the page corrects it on connect. */
function initialSize(): { cols: number; rows: number } {
  const cell = approximateCell();
  const narrow = window.innerWidth < 900; // the side panel moves below the terminal
  const width = window.innerWidth - (narrow ? 30 : CHROME.width);
  const height = (narrow ? window.innerHeight * 0.6 : window.innerHeight) - CHROME.height;
  return {
    cols: clamp(Math.floor(width / cell.width), Math.max(Limits.minCols, 40), Math.min(Limits.maxCols, 400)),
    rows: clamp(Math.floor(height / cell.height), Math.max(Limits.minRows, 10), Math.min(Limits.maxRows, 200)),
  };
}

/** The terminal font's cell in CSS pixels, snapped to device pixels as xterm's renderers do. */
function approximateCell(): { width: number; height: number } {
  const fontSize = terminalOptions.fontSize ?? 14;
  const dpr = window.devicePixelRatio || 1;
  const context = document.createElement("canvas").getContext("2d");
  let width = fontSize * 0.6;
  if (context) {
    context.font = `${fontSize}px ${terminalOptions.fontFamily ?? "monospace"}`;
    width = context.measureText("W").width || width;
  }
  return {
    width: Math.max(1, Math.floor(width * dpr) / dpr),
    height: Math.max(1, Math.ceil(fontSize * 1.15 * (terminalOptions.lineHeight ?? 1) * dpr) / dpr),
  };
}

function relativeTime(date: Date): string {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["second", 60],
    ["minute", 60],
    ["hour", 24],
    ["day", 7],
    ["week", 4.35],
    ["month", 12],
    ["year", Number.POSITIVE_INFINITY],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return date.toLocaleDateString();
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

customElements.define("start-page", StartPage);

declare global {
  interface HTMLElementTagNameMap {
    "start-page": StartPage;
  }
}
