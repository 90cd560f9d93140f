// SessionAwareness: tells a user who is not looking at the page what the session does: tab title, favicon, notifications, and this browser's session list.
import type { StateEvent } from "../parsers/protocol";
import type { TerminalSink } from "./session-connection";
import { noteSessionActivity } from "./session-store";
import { tabFavicon, type TabInputs, type TabState, tabState, tabTitle } from "./tab-indicator";
import type { ToolCall } from "./tool-calls";
import { TurnNotifier } from "./turn-notifier";

/** How often output activity is written to this browser's session list at most, in milliseconds. */
const ACTIVITY_SAVE_MS = 15_000;

export class SessionAwareness {
  readonly #sessionId: string;
  readonly #notifier: TurnNotifier;
  #lastState: TabState | null = null;
  #lastActivitySaved = 0;

  constructor(sessionId: string) {
    this.#sessionId = sessionId;
    this.#notifier = new TurnNotifier(sessionId);
  }

  /**
   * Brings title, favicon and the stored state up to date, and lets the notifier see Claude's state (only while
   * connected: a reconnect's first state is old news). Returns the tab state.
   */
  reflect(inputs: TabInputs, claude: StateEvent | null, calls: readonly ToolCall[], connected: boolean): TabState {
    document.title = tabTitle(inputs);
    const state = tabState(inputs);
    if (state !== this.#lastState) {
      this.#lastState = state;
      setFavicon(tabFavicon(state));
      noteSessionActivity(this.#sessionId, { state, at: Date.now() });
    }
    const waiting =
      claude?.state === "awaiting-permission" ? [...calls].reverse().find((call) => call.status === "awaiting-permission") : undefined;
    this.#notifier.observe(connected ? (claude?.state ?? null) : null, waiting?.target);
    return state;
  }

  /** The terminal, with a note of when live output last arrived (for this browser's session list). */
  activitySink(terminal: TerminalSink): TerminalSink {
    return {
      write: (data, replay, offset, processed) => {
        if (!replay) this.#noteOutput();
        terminal.write(data, replay, offset, processed);
      },
      reset: (...args: Parameters<TerminalSink["reset"]>) => terminal.reset(...args),
      resize: (cols, rows) => terminal.resize(cols, rows),
    };
  }

  /** Puts the plain favicon back (the page is leaving the session). */
  dispose(): void {
    this.#notifier.dispose();
    setFavicon(tabFavicon("starting"));
  }

  #noteOutput(): void {
    const now = Date.now();
    if (now - this.#lastActivitySaved < ACTIVITY_SAVE_MS) return;
    this.#lastActivitySaved = now;
    noteSessionActivity(this.#sessionId, { at: now });
  }
}

/** Points the page's icon at `href`. */
function setFavicon(href: string): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  if (link.href !== href) link.href = href;
}
