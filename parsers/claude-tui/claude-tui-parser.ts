// Turns raw PTY bytes from a terminal running Claude Code into tool-call and state events (synchronous; see docs/parser.md).
import { readBlocks } from "./block-reader";
import type { ClaudeState, MenuOption, ParserEvent, StateEvent, ToolRecord } from "./events";
import { FrameScanner } from "./frame-scanner";
import { HeldRows } from "./held-rows";
import { RowClassifier, type ClassifiedRow } from "./line-classifier";
import { Screen, type RowSnapshot } from "./screen";
import { readState } from "./state-reader";
import { ToolTracker, type FrameContext } from "./tool-tracker";

export interface ClaudeTuiParserOptions {
  /** PTY size in cells. @default 100 x 30 */
  cols?: number;
  rows?: number;
  /** Rows of history the screen model keeps. @default 1000 */
  scrollback?: number;
  /**
   * Schedules `callback` after `delayMs` and returns a cancel function (e.g. wrap `setTimeout`). With it, the parser
   * reads the screen once output has been quiet for `idleFlushMs`; without it, call `flush()` when output pauses.
   */
  schedule?: (callback: () => void, delayMs: number) => () => void;
  /** Quiet time before a scheduled flush, in ms. @default 50 */
  idleFlushMs?: number;
}

export type ParserListener = (event: ParserEvent) => void;

/** Work counters, for tests and benchmarks that check the parser's cost per byte. */
export interface ParserStats {
  /** Output bytes written. */
  bytes: number;
  /** Times the screen was read. */
  reads: number;
  /** Cells read off the screen (rows × columns). */
  cellsRead: number;
  /** Times the row window was read into blocks. */
  windowReads: number;
}

const DEFAULT_COLS = 100;
const DEFAULT_ROWS = 30;
const DEFAULT_SCROLLBACK_ROWS = 1_000;
const DEFAULT_IDLE_FLUSH_MS = 50;
/** Screen-reading budget earned per byte of output, in cells: bounds the parser's cost per byte. */
const CREDIT_CELLS_PER_BYTE = 4;
/** Budget saved up at most, in viewports' worth of cells. */
const MAX_CREDIT_VIEWPORTS = 4;
/** What reading the blocks of the whole row window costs, counted in cells (measured: about as much as 1,000 cells read). */
const WINDOW_READ_CELLS = 1_000;
/** Rows above the viewport whose blocks are still read (a header whose results are on screen). */
const MIN_ROWS_ABOVE = 50;

export class ClaudeTuiParser {
  readonly #screen: Screen;
  readonly #scanner = new FrameScanner();
  readonly #tracker = new ToolTracker();
  readonly #classifier = new RowClassifier();
  readonly #listeners = new Set<ParserListener>();
  readonly #schedule: ClaudeTuiParserOptions["schedule"];
  readonly #idleFlushMs: number;
  /** Classified rows of the window (the viewport and some rows above it), sized on the first read. */
  #rows = new HeldRows(0);
  /** Rows in the window that show the banner; `#bannerSeen` remembers one was ever drawn. */
  readonly #bannerRows = new Set<number>();
  #bannerSeen = false;
  #cancelFlush: (() => void) | undefined;
  #offset = 0;
  #credit = 0;
  /** Bytes that may have drawn something arrived since the screen was last read. */
  #drawnSinceRead = true;
  #active = false;
  #colorSeen = false;
  #repaint = false;
  /** Claude exited at least once: its stale window title no longer proves it runs. */
  #exited = false;
  /** Rows above this one belong to a shell that ran before claude started again. */
  #activeFrom = 0;
  #state: StateEvent = { type: "state", state: "starting" };
  readonly #stats: ParserStats = { bytes: 0, reads: 0, cellsRead: 0, windowReads: 0 };
  #disposed = false;

  constructor(options: ClaudeTuiParserOptions = {}) {
    this.#screen = new Screen({
      cols: options.cols ?? DEFAULT_COLS,
      rows: options.rows ?? DEFAULT_ROWS,
      scrollback: options.scrollback ?? DEFAULT_SCROLLBACK_ROWS,
    });
    // A full budget to begin with: the first frames (banner, input box) are read at once.
    this.#credit = this.#maxCredit();
    this.#schedule = options.schedule;
    this.#idleFlushMs = options.idleFlushMs ?? DEFAULT_IDLE_FLUSH_MS;
  }

  /**
   * Feeds output bytes. `offset` is the stream offset of `chunk[0]` (default: right after the previous chunk).
   * Events for frames completed inside the chunk are emitted before this returns.
   */
  write(chunk: Uint8Array, offset = this.#offset): void {
    if (this.#disposed) return;
    let from = 0;
    for (const boundary of this.#scanner.scan(chunk)) {
      if (boundary.repaint) this.#repaint = true;
      if (boundary.drawn) this.#drawnSinceRead = true;
      // A frame end after mere cursor moves (the next frame starting) shows what the last read saw.
      if (!boundary.frameEnd || (!this.#drawnSinceRead && !this.#repaint)) continue;
      // Splitting the write costs a little: only where the budget allows reading at least one row.
      if (this.#credit + (boundary.index - from) * CREDIT_CELLS_PER_BYTE < this.#screen.cols + WINDOW_READ_CELLS) continue;
      this.#screen.write(chunk.subarray(from, boundary.index));
      this.#earn(boundary.index - from);
      from = boundary.index;
      this.#evaluate(offset + boundary.index, false);
    }
    this.#screen.write(chunk.subarray(from));
    if (this.#scanner.drawn) this.#drawnSinceRead = true;
    this.#earn(chunk.length - from);
    this.#offset = offset + chunk.length;
    this.#stats.bytes += chunk.length;
    this.#scheduleFlush();
  }

  /** Reads the screen now, as if output had paused (the end of a recording, or no scheduler). */
  flush(): void {
    if (this.#disposed) return;
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    // Output that only moved the cursor since the last read leaves nothing new to read.
    if (!this.#drawnSinceRead && !this.#repaint) return;
    this.#evaluate(this.#offset, true);
  }

  /** The PTY was resized: claude repaints everything at the new width. */
  resize(cols: number, rows: number): void {
    if (this.#disposed || (cols === this.#screen.cols && rows === this.#screen.rows)) return;
    this.#evaluate(this.#offset, true);
    this.#screen.resize(cols, rows);
    this.#rows.clear();
    this.#repaint = true;
  }

  onEvent(listener: ParserListener): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Every tool call so far, in order, as it stands now. */
  tools(): ToolRecord[] {
    return this.#tracker.records();
  }

  stats(): ParserStats {
    return { ...this.#stats };
  }

  /** Claude's current state. */
  state(): StateEvent {
    return { ...this.#state };
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancelFlush?.();
    this.#listeners.clear();
    this.#screen.dispose();
  }

  #earn(bytes: number): void {
    this.#credit = Math.min(this.#maxCredit(), this.#credit + bytes * CREDIT_CELLS_PER_BYTE);
  }

  #maxCredit(): number {
    return this.#screen.cols * this.#screen.rows * MAX_CREDIT_VIEWPORTS;
  }

  #scheduleFlush(): void {
    if (!this.#schedule) return;
    this.#cancelFlush?.();
    this.#cancelFlush = this.#schedule(() => {
      this.#cancelFlush = undefined;
      this.flush();
    }, this.#idleFlushMs);
  }

  /** Reads the rows that changed and updates calls and state; within budget unless `force`. */
  #evaluate(offset: number, force: boolean): void {
    const screen = this.#screen;
    if (!screen.dirty && !this.#repaint) return;
    const windowRows = screen.rows + this.#rowsAbove();
    const readCost = Math.min(screen.pendingRows, windowRows) * screen.cols;
    if (!force && readCost + WINDOW_READ_CELLS > this.#credit) return;
    this.#drawnSinceRead = false;
    if (this.#rows.size !== windowRows) this.#rows = new HeldRows(windowRows);
    const snapshots = screen.takeChanged(windowRows);
    this.#stats.reads++;
    this.#stats.cellsRead += snapshots.length * screen.cols;
    const changed = this.#absorb(snapshots);
    this.#credit = Math.max(0, this.#credit - readCost);
    // Before Claude shows itself every change is looked at: its window title alone may be the sign.
    if (!this.#repaint && (changed === "none" || (changed === "spinner" && this.#active))) return;
    this.#credit = Math.max(0, this.#credit - WINDOW_READ_CELLS);
    this.#stats.windowReads++;

    const top = screen.top;
    const bottom = screen.bottom;
    const windowStart = Math.max(screen.oldest, top - this.#rowsAbove());
    for (const abs of this.#bannerRows) if (abs < windowStart) this.#bannerRows.delete(abs);
    const window = this.#rows.range(windowStart, bottom);
    this.#noticeClaude(window);
    if (!this.#active) return;

    if (this.#repaint) this.#tracker.startReplay();
    this.#repaint = false;
    const reading = readState(window.slice(top - windowStart));
    const permissionAsked = reading?.state === "awaiting-permission" && reading.toolPermission === true;
    const context: FrameContext = { offset, windowStart, colorSeen: this.#colorSeen, permissionAsked };
    const read = readBlocks(window);
    const blocks = this.#activeFrom > windowStart ? read.filter((block) => block.row >= this.#activeFrom) : read;
    for (const record of this.#tracker.apply(blocks, context)) this.#emit({ type: "tool", ...record });
    if (reading) this.#setState(reading.state, reading.options);
  }

  /** Classifies rows whose drawing changed; returns what changed: nothing, only a ticking spinner, or more. */
  #absorb(snapshots: readonly RowSnapshot[]): "none" | "spinner" | "rows" {
    let changed: "none" | "spinner" | "rows" = "none";
    for (const snapshot of snapshots) {
      const known = this.#rows.get(snapshot.abs);
      // Drawn differently (colours elsewhere in the row), read the same: keep the row.
      if (known && known.raw === snapshot.text && known.full === snapshot.full && known.bullet === snapshot.bullet && known.bold === snapshot.bold) continue;
      const row = this.#classifier.classify(snapshot);
      this.#rows.set(row);
      const kind = row.line.kind;
      // `✻ Baking… (3s)` → `(4s)`: no block and no state reads differently.
      const ticked = kind === "spinner" && known?.line.kind === "spinner" && known.busy === row.busy;
      if (!ticked) changed = "rows";
      else if (changed === "none") changed = "spinner";
      if (kind === "header" && (snapshot.bullet === "gray" || snapshot.bullet === "green" || snapshot.bullet === "red")) this.#colorSeen = true;
      if (kind === "banner" && !this.#bannerRows.has(snapshot.abs)) {
        if (this.#bannerSeen) this.#repaint = true;
        // Claude starting again after it exited: what the shell printed above the banner is not Claude's.
        if (this.#exited && !this.#active && !this.#bannerSeen) this.#activeFrom = snapshot.abs;
        this.#bannerRows.add(snapshot.abs);
        this.#bannerSeen = true;
      }
    }
    return changed;
  }

  /** Tool events start only once the screen shows Claude Code (its banner, its window title or its input box). */
  #noticeClaude(window: readonly (ClassifiedRow | undefined)[]): void {
    if (this.#active) return;
    if (this.#bannerSeen || (!this.#exited && /Claude Code/u.test(this.#screen.title))) {
      this.#active = true;
      return;
    }
    this.#active = readState(window)?.state === "idle";
  }

  #rowsAbove(): number {
    return Math.max(MIN_ROWS_ABOVE, this.#screen.rows);
  }

  #setState(state: ClaudeState, options: MenuOption[] | undefined): void {
    if (this.#state.state === state && sameOptions(this.#state.options, options)) return;
    // Once claude has exited, the PTY is a shell again: calls count only after Claude Code shows itself anew.
    if (state === "exited") {
      this.#active = false;
      this.#exited = true;
      this.#bannerRows.clear();
      this.#bannerSeen = false;
    }
    this.#state = options ? { type: "state", state, options } : { type: "state", state };
    this.#emit(this.#state);
  }

  #emit(event: ParserEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One listener's failure stays with that listener.
      }
    }
  }
}

function sameOptions(a: readonly MenuOption[] | undefined, b: readonly MenuOption[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((option, i) => option.label === b[i]?.label && option.keys === b[i]?.keys);
}
