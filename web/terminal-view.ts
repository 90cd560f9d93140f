// <terminal-view>: draws the session with xterm.js 6 and its addons; takes bytes in, emits keystrokes and its pane's fitting size.
import { SearchAddon } from "@xterm/addon-search";
import { Unicode11Addon } from "@xterm/addon-unicode11";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { type IDisposable, Terminal } from "@xterm/xterm";
import { html, LitElement } from "lit";
import { PaneFitAddon } from "./addons/pane-fit-addon";
import { ScrollAnchorAddon } from "./addons/scroll-anchor-addon";
import { ShrinkToPaneAddon } from "./addons/shrink-to-pane-addon";
import { StreamLinesAddon } from "./addons/stream-lines-addon";
import { type RendererKind, WebglFallbackAddon } from "./addons/webgl-fallback-addon";
import type { Size, TerminalSink } from "./session-connection";
import "./terminal-search";
import type { TerminalSearch } from "./terminal-search";
import { preferences, type Preferences } from "./preferences";
import { isTerminalReport } from "./terminal-reports";
import { terminalOptions, terminalThemeFor } from "./terminal-theme";
import { currentTheme } from "./theme";

const EMPTY = new Uint8Array(0);
/** Quiet time after the selection last changed before it is copied (copy on select), in milliseconds. */
const COPY_SELECTION_DEBOUNCE_MS = 200;
const utf8 = new TextEncoder();
/**
 * Largest piece handed to xterm in one write, in bytes: the line the cursor ends on is recorded after each, so
 * a large replayed chunk still maps its offsets to lines closely. xterm keeps escape and UTF-8 state across writes.
 */
const WRITE_PIECE_BYTES = 8 * 1024;

/** Search highlight colours (the search addon needs them to count matches). */
const SEARCH_DECORATIONS = {
  matchBackground: "#3b4261",
  matchOverviewRuler: "#82aaff",
  activeMatchBackground: "#ff966c",
  activeMatchColorOverviewRuler: "#ff966c",
} as const;

/**
 * Events:
 * - `terminal-input` (detail: bytes for the PTY): keystrokes, pastes and the terminal's own live replies
 * - `terminal-fit` (detail: {cols, rows}): the size that fills the pane changed (and once when first measured)
 */
export class TerminalView extends LitElement implements TerminalSink {
  static override properties = {
    readOnly: { type: Boolean, attribute: "read-only", reflect: true },
  };

  /** Viewers watch: the terminal takes no keyboard input. */
  declare readOnly: boolean;

  #terminal: Terminal | null = null;
  #fit: PaneFitAddon | null = null;
  #shrink: ShrinkToPaneAddon | null = null;
  #renderer: WebglFallbackAddon | null = null;
  #search: SearchAddon | null = null;
  #lines: StreamLinesAddon | null = null;
  #disposables: IDisposable[] = [];
  /** Replayed chunks written but not yet parsed; replies the terminal makes to them are stale. */
  #pendingReplayWrites = 0;
  /** Once the PTY's size is known the terminal follows it; until then it fills the pane. */
  #followsPty = false;
  /** focus() was called before the terminal had an element. */
  #focusOnOpen = false;
  #copyTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribePreferences: (() => void) | null = null;

  constructor() {
    super();
    this.readOnly = false;
  }

  /** The xterm.js instance (for tests and tools that read the screen). */
  get terminal(): Terminal | null {
    return this.#terminal;
  }

  /** Which renderer draws the terminal. */
  get renderer(): RendererKind {
    return this.#renderer?.renderer ?? "dom";
  }

  /** The size that fills the pane now, or null before layout. */
  get fittedSize(): Size | null {
    return this.#fit?.propose() ?? null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#terminal ??= this.#create();
    if (this.hasUpdated) this.#open();
    window.addEventListener("theme-change", this.#onThemeChange);
    this.#unsubscribePreferences = preferences.subscribe((prefs) => this.#applyPreferences(prefs));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("theme-change", this.#onThemeChange);
    this.#unsubscribePreferences?.();
    this.#unsubscribePreferences = null;
    clearTimeout(this.#copyTimer);
    for (const disposable of this.#disposables.splice(0)) disposable.dispose();
    this.#terminal?.dispose(); // disposes every loaded addon too
    this.#terminal = this.#fit = this.#shrink = this.#renderer = this.#search = this.#lines = null;
    this.#pendingReplayWrites = 0;
    this.#followsPty = false;
  }

  override render(): unknown {
    return html`
      <div class="terminal-host" id="terminal" data-testid="terminal" @click=${() => this.focus()}></div>
      <terminal-search
        @search-request=${(event: HTMLElementEventMap["search-request"]) => this.#find(event.detail)}
        @search-close=${() => this.#closeSearch()}
      ></terminal-search>
    `;
  }

  protected override firstUpdated(): void {
    this.#open();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("readOnly") && this.#terminal) this.#terminal.options.disableStdin = this.readOnly;
  }

  /** Opens the find bar (Ctrl/Cmd+F and friends; see shortcuts.ts). */
  openSearch(): void {
    this.#searchBar()?.show();
  }

  /** Whether the terminal is in application cursor mode, where arrow keys send `ESC O x`. */
  get applicationCursor(): boolean {
    return this.#terminal?.modes.applicationCursorKeysMode ?? false;
  }

  override focus(): void {
    if (this.#terminal?.element) this.#terminal.focus();
    else this.#focusOnOpen = true;
  }

  // --- TerminalSink: calls arrive in stream order and are applied in that order ---

  write(data: Uint8Array, replay: boolean, offset: number, processed: () => void): void {
    const terminal = this.#terminal;
    const lines = this.#lines;
    if (!terminal || !lines || data.byteLength === 0) return processed(); // nothing to draw: nothing waits
    for (let at = 0; at < data.byteLength; at += WRITE_PIECE_BYTES) {
      const piece = data.subarray(at, at + WRITE_PIECE_BYTES);
      const start = offset + at;
      const last = at + WRITE_PIECE_BYTES >= data.byteLength;
      if (replay) this.#pendingReplayWrites += 1;
      terminal.write(piece, () => {
        if (replay) this.#pendingReplayWrites -= 1;
        lines.drawn(start, start + piece.byteLength);
        if (last) processed();
      });
    }
  }

  reset(screen: string): void {
    // In-band, so bytes already queued are drawn first: RIS (full reset), ED 3 (erase the scrollback), then the
    // screen as it stood where the output resumes.
    const lines = this.#lines;
    const terminal = this.#terminal;
    if (!terminal) return;
    terminal.write("\x1bc\x1b[3J");
    terminal.write(screen, () => lines?.reset());
  }

  resize(cols: number, rows: number): void {
    const terminal = this.#terminal;
    if (!terminal) return;
    this.#followsPty = true;
    // Applied once the bytes queued before it are parsed: they were laid out for the old size.
    terminal.write(EMPTY, () => {
      if (terminal.cols !== cols || terminal.rows !== rows) terminal.resize(cols, rows);
    });
  }

  /**
   * Scrolls to where the output at stream offset `offset` was drawn (the nearest line showing `text`, when
   * given) and flashes that line. Returns false when that output is no longer in the terminal.
   */
  reveal(offset: number, text = ""): boolean {
    return this.#lines?.reveal(offset, text) ?? false;
  }

  /** Reports the pane's fitting size again, even if unchanged (a writer taking the PTY size back). */
  refit(): void {
    this.#fit?.refit();
  }

  // --- setup ---

  #create(): Terminal {
    const prefs = preferences.current;
    const terminal = new Terminal({
      ...terminalOptions,
      theme: terminalThemeFor(currentTheme()),
      screenReaderMode: prefs.screenReader,
      disableStdin: this.readOnly,
    });
    this.#fit = new PaneFitAddon();
    this.#shrink = new ShrinkToPaneAddon();
    terminal.loadAddon(this.#shrink);
    this.#search = new SearchAddon({ highlightLimit: 1000 });
    terminal.loadAddon(this.#fit);
    terminal.loadAddon(new Unicode11Addon());
    terminal.unicode.activeVersion = "11";
    terminal.loadAddon(new WebLinksAddon());
    terminal.loadAddon(this.#search);
    this.#lines = new StreamLinesAddon();
    terminal.loadAddon(this.#lines);
    terminal.loadAddon(new ScrollAnchorAddon());
    this.#disposables.push(
      terminal.onData((data) => {
        // Replies to queries inside replayed output were answered long ago; sending them again would type junk.
        if (this.#pendingReplayWrites > 0 && isTerminalReport(data)) return;
        this.#emitInput(utf8.encode(data));
      }),
      terminal.onBinary((data) => this.#emitInput(Uint8Array.from(data, (char) => char.charCodeAt(0) & 0xff))),
      terminal.onResize(({ cols, rows }) => this.#reflectSize(cols, rows)),
      terminal.onSelectionChange(() => this.#selectionChanged()),
      this.#search.onDidChangeResults(({ resultIndex, resultCount }) => {
        const bar = this.#searchBar();
        if (bar) bar.results = { index: resultIndex, count: resultCount };
      }),
    );
    return terminal;
  }

  #open(): void {
    const terminal = this.#terminal;
    const host = this.querySelector<HTMLElement>(".terminal-host");
    if (!terminal || !host || terminal.element) return;
    terminal.open(host);
    // Phone keyboards would capitalise, autocorrect and suggest words into the shell.
    const field = terminal.textarea;
    if (field) {
      field.setAttribute("autocapitalize", "off");
      field.setAttribute("autocorrect", "off");
      field.setAttribute("autocomplete", "off");
      field.spellcheck = false;
    }
    this.#renderer = new WebglFallbackAddon();
    terminal.loadAddon(this.#renderer);
    this.#reflectRenderer();
    this.#disposables.push(
      this.#renderer.onChange(() => this.#reflectRenderer()),
      this.#fit!.onFit((size) => this.#paneFitted(size)),
    );
    this.#fit!.observe();
    this.#shrink!.observe();
    const size = this.#fit!.propose();
    if (size && !this.#followsPty) terminal.resize(size.cols, size.rows);
    this.#reflectSize(terminal.cols, terminal.rows);
    if (this.#focusOnOpen) {
      this.#focusOnOpen = false;
      terminal.focus();
    }
  }

  #paneFitted(size: Size): void {
    const terminal = this.#terminal;
    if (terminal && !this.#followsPty && (terminal.cols !== size.cols || terminal.rows !== size.rows)) {
      terminal.resize(size.cols, size.rows);
    }
    this.dispatchEvent(new CustomEvent("terminal-fit", { detail: size, bubbles: true, composed: true }));
  }

  #emitInput(bytes: Uint8Array): void {
    if (this.readOnly || bytes.byteLength === 0) return;
    this.dispatchEvent(new CustomEvent("terminal-input", { detail: bytes, bubbles: true, composed: true }));
  }

  #reflectSize(cols: number, rows: number): void {
    this.dataset.cols = String(cols);
    this.dataset.rows = String(rows);
  }

  #reflectRenderer(): void {
    this.dataset.renderer = this.renderer;
  }

  // --- search ---

  #searchBar(): TerminalSearch | null {
    return this.querySelector("terminal-search");
  }

  #find({ term, backwards, incremental }: { term: string; backwards: boolean; incremental: boolean }): void {
    const search = this.#search;
    if (!search) return;
    if (!term) {
      search.clearDecorations();
      const bar = this.#searchBar();
      if (bar) bar.results = null;
      return;
    }
    const options = { decorations: SEARCH_DECORATIONS, incremental };
    if (backwards) search.findPrevious(term, options);
    else search.findNext(term, options);
  }

  // --- preferences ---

  #onThemeChange = (): void => {
    if (this.#terminal) this.#terminal.options.theme = terminalThemeFor(currentTheme());
  };

  #applyPreferences(prefs: Preferences): void {
    const terminal = this.#terminal;
    if (terminal && terminal.options.screenReaderMode !== prefs.screenReader) terminal.options.screenReaderMode = prefs.screenReader;
  }

  /** Copy on select: once the selection settles, it goes to the clipboard (a failure leaves Ctrl+C/Cmd+C to copy). */
  #selectionChanged(): void {
    clearTimeout(this.#copyTimer);
    if (!preferences.current.copyOnSelect) return;
    this.#copyTimer = setTimeout(() => {
      const text = this.#terminal?.getSelection() ?? "";
      if (!text || !navigator.clipboard?.writeText) return;
      navigator.clipboard
        .writeText(text)
        .catch((error: unknown) => console.info("terminal.copy_on_select_failed", { error: String(error) }));
    }, COPY_SELECTION_DEBOUNCE_MS);
  }

  #closeSearch(): void {
    this.#search?.clearDecorations();
    this.focus();
  }
}

customElements.define("terminal-view", TerminalView);

declare global {
  interface HTMLElementTagNameMap {
    "terminal-view": TerminalView;
  }
  interface HTMLElementEventMap {
    "terminal-input": CustomEvent<Uint8Array>;
    "terminal-fit": CustomEvent<Size>;
  }
}
