// The terminal screen at the oldest byte the output log still holds, so a client that cannot replay from where it
// was gets a picture of the screen to start from instead of the middle of a redraw.
import * as serializeModule from "@xterm/addon-serialize";
import type { SerializeAddon as SerializeAddonType } from "@xterm/addon-serialize";
import { Terminal } from "../parsers/xterm-headless";
import { BackgroundBytes } from "./background-bytes";

// CommonJS, like @xterm/headless: Node's ESM loader only exposes `default`.
const { SerializeAddon } = ((serializeModule as unknown as { SerializeAddon?: typeof SerializeAddonType }).SerializeAddon
  ? serializeModule
  : (serializeModule as unknown as { default: typeof serializeModule }).default) as typeof serializeModule;

/** History rows kept above the screen; the log's replay after the checkpoint brings the rest. */
const SCROLLBACK_ROWS = 200;
/** Bytes drawn per turn of the event loop, so that relaying and input are never held up for long. */
const DRAW_SLICE_BYTES = 64 * 1024;
/** Drawing waits until no bytes were handed over for this long, in milliseconds (see BackgroundBytes). */
const QUIET_MS = 20;
/**
 * Bytes drawn per second at most, and waiting at most (a flood): the oldest are dropped beyond it, and the screen
 * starts over blank before the rest. After a flood the log's own replay redraws the screen anyway.
 */
const MAX_BACKLOG_BYTES = 1024 * 1024;

/** A checkpoint as it is stored and sent: the screen at stream offset `offset`, as escape sequences. */
export interface SavedScreen {
  offset: number;
  cols: number;
  rows: number;
  screen: string;
}

/** The private writer of xterm.js 6.0.0 (the checkpoint must be current the moment it is read). */
interface WritableCore {
  writeSync(data: Uint8Array | string): void;
}

export class ScreenCheckpoint {
  readonly #terminal: Terminal;
  readonly #core: WritableCore;
  readonly #serializer = new SerializeAddon();
  #offset: number;
  /** Sizes the PTY took at stream offsets the checkpoint has not reached yet, in order. */
  #resizes: Array<{ offset: number; cols: number; rows: number }> = [];
  /** Bytes handed over and not drawn yet; a flood that overflows them leaves the screen to restart blank. */
  readonly #backlog = new BackgroundBytes({
    maxBytes: MAX_BACKLOG_BYTES,
    sliceBytes: DRAW_SLICE_BYTES,
    quietMs: QUIET_MS,
    consume: (offset, data) => this.#write(offset, data),
    drained: () => this.onDrawn(),
  });
  /** Called when everything handed over has been drawn. */
  onDrawn: () => void = () => undefined;

  constructor(size: { cols: number; rows: number }, offset = 0, screen = "") {
    this.#terminal = new Terminal({ ...size, scrollback: SCROLLBACK_ROWS, allowProposedApi: true, logLevel: "off" });
    const core = (this.#terminal as unknown as { _core?: Partial<WritableCore> })._core;
    if (typeof core?.writeSync !== "function") throw new Error("@xterm/headless internals changed: expected 6.0.0");
    this.#core = core as WritableCore;
    this.#terminal.loadAddon(this.#serializer);
    this.#offset = offset;
    if (screen) this.#core.writeSync(screen);
  }

  static restore(saved: SavedScreen): ScreenCheckpoint {
    return new ScreenCheckpoint(saved, saved.offset, saved.screen);
  }

  /** Stream offset the screen stands at, counting what waits to be drawn. */
  get offset(): number {
    return this.#backlog.end ?? this.#offset;
  }

  /** The PTY took this size after the bytes before `offset`. */
  resizeAt(offset: number, cols: number, rows: number): void {
    if (offset <= this.#offset && this.#resizes.length === 0 && !this.#backlog.pending) this.#terminal.resize(cols, rows);
    else this.#resizes.push({ offset, cols, rows });
  }

  /** Bytes that start at `offset` (the log hands over what it lets go of); drawn soon after, in slices. */
  advance(offset: number, data: Uint8Array): void {
    this.#backlog.add(offset, data);
  }

  /** Whether bytes wait to be drawn. */
  get pending(): boolean {
    return this.#backlog.pending;
  }

  /** Output was lost before `offset`: the screen starts over, blank, there. */
  skip(offset: number): void {
    this.#backlog.clear();
    this.#resizes = this.#resizes.filter((resize) => resize.offset > offset);
    this.#terminal.reset();
    this.#offset = offset;
  }

  #write(offset: number, data: Uint8Array): void {
    if (offset !== this.#offset) {
      // Bytes went missing: what the screen showed no longer means anything.
      this.#terminal.reset();
      this.#offset = offset;
    }
    let at = 0;
    while (at < data.byteLength) {
      const next = this.#resizes[0];
      const until = next ? Math.min(data.byteLength, Math.max(at, next.offset - offset)) : data.byteLength;
      if (until > at) this.#core.writeSync(data.subarray(at, until));
      at = until;
      this.#offset = offset + at;
      if (next && next.offset <= this.#offset) {
        this.#resizes.shift();
        this.#terminal.resize(next.cols, next.rows);
      }
    }
  }

  /**
   * For storage, without holding up the relay: the screen when it is drawn up to date, otherwise a blank one at the
   * same offset (the log after it still replays; only what scrolled out before it is missing).
   */
  saveCheaply(): SavedScreen {
    if (!this.pending) return this.save();
    return { offset: this.offset, cols: this.#terminal.cols, rows: this.#terminal.rows, screen: "" };
  }

  /** The screen now, everything handed over drawn. */
  save(): SavedScreen {
    this.#backlog.drainAll();
    return {
      offset: this.#offset,
      cols: this.#terminal.cols,
      rows: this.#terminal.rows,
      screen: this.#serializer.serialize({ scrollback: SCROLLBACK_ROWS }),
    };
  }

  dispose(): void {
    this.#backlog.dispose();
    this.#terminal.dispose();
  }
}
