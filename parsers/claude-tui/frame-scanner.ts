// Finds frame boundaries in the raw PTY byte stream, across chunk cuts, so the screen is read where a frame is whole.
//
// Claude Code's inline renderer draws a frame top-down and then moves the cursor back up (to the next frame's first
// changed row, or to park it in the input box); 2.0.x also wraps frames in synchronized output (`CSI ? 2026 h … l`).
// So the end of an upward cursor move outside a synchronized frame, or the end of one, is a point where every row
// drawn so far is complete. Cursor-home and erase-display also mark a repaint from the top.

/** A point in a chunk, just after the escape sequence that makes it a boundary. */
export interface Boundary {
  /** Index in the chunk of the first byte after the sequence. */
  index: number;
  /** Rows drawn so far form a whole frame: read the screen here. */
  frameEnd: boolean;
  /** The sequence starts a repaint from the top of the screen (cursor home, erase display, reset). */
  repaint: boolean;
  /**
   * Something besides cursor moves and colours came since the previous boundary (or the stream began): the screen may
   * read differently than it did there.
   */
  drawn: boolean;
}

/** A synchronized frame longer than this is not trusted to end; boundaries inside it count again, in bytes. */
const MAX_SYNC_FRAME_BYTES = 256 * 1024;
/** Numeric parameters are clamped here (xterm clamps too); enough for any row count. */
const MAX_PARAM = 65_535;
/** DEC private mode for synchronized output. */
const SYNC_OUTPUT_MODE = 2026;

const enum State {
  Ground,
  Escape,
  EscapeIntermediate,
  Csi,
  /** OSC, DCS, SOS, PM, APC: ends at BEL or ST (ESC \). */
  String,
  StringEscape,
}

const ESC = 0x1b;
/** Text bytes searched for ESC one by one before a native search takes over. */
const SHORT_TEXT_RUN = 32;
/** `[` after ESC: a control sequence (CSI). */
const CSI_INTRODUCER = 0x5b;
const CR = 0x0d;
/** DEC private modes that draw nothing: cursor visibility, synchronized output. */
const CURSOR_VISIBLE_MODE = 25;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;

export class FrameScanner {
  #state = State.Ground;
  #private = 0;
  #intermediate = false;
  #param = -1;
  #params = 0;
  #firstParam = -1;
  #secondParam = -1;
  #has2026 = false;
  #inSync = false;
  #syncBytes = 0;
  #drawn = true;

  /** Something besides cursor moves and colours came since the last boundary (see `Boundary.drawn`). */
  get drawn(): boolean {
    return this.#drawn;
  }

  /** Whether the stream is inside a synchronized-output frame. */
  get inSync(): boolean {
    return this.#inSync;
  }

  /** Scans one chunk; returns the boundaries in it, in order. State carries over to the next chunk. */
  scan(chunk: Uint8Array): Boundary[] {
    const found: Boundary[] = [];
    for (let i = 0; i < chunk.length; i++) {
      if (this.#state === State.Ground) {
        // Text between escape sequences holds no boundary: jump to the next ESC.
        const escape = nextEscape(chunk, i);
        this.#noteText(chunk, i, escape < 0 ? chunk.length : escape);
        if (escape < 0) {
          this.#countSync(chunk.length - i);
          break;
        }
        const final = chunk[escape + 1] === CSI_INTRODUCER ? this.#wholeCsi(chunk, escape + 2) : -1;
        if (final >= 0) {
          this.#countSync(final + 1 - i);
          this.#final(chunk[final] ?? 0, final, found);
          i = final;
          continue;
        }
        this.#countSync(escape + 1 - i);
        i = escape;
        this.#state = State.Escape;
        continue;
      }
      const byte = chunk[i] ?? 0;
      this.#countSync(1);
      switch (this.#state) {
        case State.Escape:
          this.#escape(byte, i, found);
          break;
        case State.EscapeIntermediate:
          this.#drawn = true;
          if (byte === ESC) this.#state = State.Escape;
          else if (byte >= 0x30 && byte <= 0x7e) this.#state = State.Ground;
          else if (byte === CAN || byte === SUB) this.#state = State.Ground;
          break;
        case State.Csi:
          this.#csi(byte, i, found);
          break;
        case State.String:
          if (byte === BEL) this.#state = State.Ground;
          else if (byte === ESC) this.#state = State.StringEscape;
          else if (byte === CAN || byte === SUB) this.#state = State.Ground;
          break;
        case State.StringEscape:
          // ESC \ ends the string; any other ESC starts a new sequence (xterm does the same).
          if (byte === 0x5c) this.#state = State.Ground;
          else this.#escape(byte, i, found);
          break;
      }
    }
    return found;
  }

  /** Text between `from` and `to` draws, unless it only returns the cursor to the line start. */
  #noteText(chunk: Uint8Array, from: number, to: number): void {
    for (let i = from; i < to && !this.#drawn; i++) if (chunk[i] !== CR) this.#drawn = true;
  }

  /** Bytes seen inside a synchronized frame; one that runs too long stops counting as one. */
  #countSync(bytes: number): void {
    if (!this.#inSync) return;
    this.#syncBytes += bytes;
    if (this.#syncBytes > MAX_SYNC_FRAME_BYTES) this.#inSync = false;
  }

  /**
   * Reads a CSI sequence's parameters and final byte in one go when the sequence lies whole in the chunk from `start`
   * (the byte after `ESC [`) with nothing unusual inside; returns the final byte's index, or -1 for the byte-wise path.
   */
  #wholeCsi(chunk: Uint8Array, start: number): number {
    let privateMarker = 0;
    let intermediate = false;
    let param = -1;
    let params = 0;
    let first = -1;
    let second = -1;
    let has2026 = false;
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte >= 0x30 && byte <= 0x39) {
        param = Math.min(MAX_PARAM, (param < 0 ? 0 : param * 10) + (byte - 0x30));
      } else if (byte === 0x3b || byte === 0x3a || (byte >= 0x40 && byte <= 0x7e)) {
        if (params === 0) first = param;
        else if (params === 1) second = param;
        if (param === SYNC_OUTPUT_MODE) has2026 = true;
        params++;
        param = -1;
        if (byte >= 0x40) {
          this.#private = privateMarker;
          this.#intermediate = intermediate;
          this.#firstParam = first;
          this.#secondParam = second;
          this.#has2026 = has2026;
          return i;
        }
      } else if (byte >= 0x3c && byte <= 0x3f) {
        if (params === 0 && param < 0) privateMarker = byte;
      } else if (byte >= 0x20 && byte <= 0x2f) {
        intermediate = true;
      } else {
        return -1; // a control, ESC, DEL or 8-bit byte inside
      }
    }
    return -1;
  }

  #escape(byte: number, index: number, found: Boundary[]): void {
    this.#state = State.Ground;
    // ESC 7 / ESC 8 save and restore the cursor; a CSI is judged by its final byte.
    if (byte !== CSI_INTRODUCER && byte !== 0x37 && byte !== 0x38 && byte !== ESC) this.#drawn = true;
    switch (byte) {
      case 0x5b: // [
        this.#state = State.Csi;
        this.#private = 0;
        this.#intermediate = false;
        this.#param = -1;
        this.#params = 0;
        this.#firstParam = -1;
        this.#secondParam = -1;
        this.#has2026 = false;
        return;
      case 0x5d: // ] OSC
      case 0x50: // P DCS
      case 0x58: // X SOS
      case 0x5e: // ^ PM
      case 0x5f: // _ APC
        this.#state = State.String;
        this.#drawn = true;
        return;
      case 0x4d: // M reverse index: cursor up
      case 0x38: // 8 restore cursor
        this.#mark(index, found, false);
        return;
      case 0x63: // c full reset
        this.#inSync = false;
        this.#mark(index, found, true);
        return;
      case ESC:
        this.#state = State.Escape;
        return;
      default:
        if (byte >= 0x20 && byte <= 0x2f) this.#state = State.EscapeIntermediate;
    }
  }

  #csi(byte: number, index: number, found: Boundary[]): void {
    if (byte >= 0x30 && byte <= 0x39) {
      this.#param = Math.min(MAX_PARAM, (this.#param < 0 ? 0 : this.#param * 10) + (byte - 0x30));
      return;
    }
    if (byte === 0x3b || byte === 0x3a) {
      this.#endParam();
      return;
    }
    if (byte >= 0x3c && byte <= 0x3f) {
      if (this.#params === 0 && this.#param < 0) this.#private = byte;
      return;
    }
    if (byte >= 0x20 && byte <= 0x2f) {
      this.#intermediate = true;
      return;
    }
    if (byte === ESC) {
      this.#state = State.Escape;
      return;
    }
    if (byte === CAN || byte === SUB) {
      this.#drawn = true;
      this.#state = State.Ground;
      return;
    }
    if (byte < 0x20) {
      // C0 controls run inside CSI without ending it (a line feed among them may scroll).
      this.#drawn = true;
      return;
    }
    this.#endParam();
    this.#state = State.Ground;
    if (byte < 0x40 || byte > 0x7e) {
      this.#drawn = true;
      return;
    }
    this.#final(byte, index, found);
  }

  #endParam(): void {
    const value = this.#param;
    if (this.#params === 0) this.#firstParam = value;
    else if (this.#params === 1) this.#secondParam = value;
    if (value === SYNC_OUTPUT_MODE) this.#has2026 = true;
    this.#params++;
    this.#param = -1;
  }

  #final(byte: number, index: number, found: Boundary[]): void {
    if (!drawsNothing(byte, this.#private, this.#intermediate, this.#firstParam, this.#secondParam)) this.#drawn = true;
    if (this.#private === 0x3f) {
      // ? 2026 h / l: synchronized output on / off.
      if (this.#has2026 && byte === 0x68) {
        this.#inSync = true;
        this.#syncBytes = 0;
      } else if (this.#has2026 && byte === 0x6c && this.#inSync) {
        this.#inSync = false;
        this.#push(index, found, true, false);
      }
      return;
    }
    if (this.#private !== 0 || this.#intermediate) return;
    switch (byte) {
      case 0x41: // A cursor up
      case 0x46: // F cursor to previous line
      case 0x64: // d line position absolute
      case 0x75: // u restore cursor
        this.#mark(index, found, false);
        return;
      case 0x48: // H cursor position
      case 0x66: {
        // f
        const home = this.#firstParam <= 1 && this.#secondParam <= 1;
        this.#mark(index, found, home);
        return;
      }
      case 0x4a: // J erase display: 2 (all) and 3 (scrollback) start a repaint
        if (this.#firstParam === 2 || this.#firstParam === 3) this.#mark(index, found, true);
        return;
      default:
    }
  }

  #mark(index: number, found: Boundary[], repaint: boolean): void {
    const frameEnd = !this.#inSync;
    if (frameEnd || repaint) this.#push(index, found, frameEnd, repaint);
  }

  #push(index: number, found: Boundary[], frameEnd: boolean, repaint: boolean): void {
    found.push({ index: index + 1, frameEnd, repaint, drawn: this.#drawn });
    this.#drawn = false;
  }
}

/**
 * Index of the next ESC from `from`, or -1. Claude's text runs between escape sequences are short, and a loop finds
 * their end sooner than a native search can start; long runs (plain output, a 10 MB line) get the native search.
 */
function nextEscape(chunk: Uint8Array, from: number): number {
  const end = Math.min(chunk.length, from + SHORT_TEXT_RUN);
  for (let i = from; i < end; i++) if (chunk[i] === ESC) return i;
  return end < chunk.length ? chunk.indexOf(ESC, end) : -1;
}

/** A control sequence that only moves the cursor, sets colours, or shows the cursor or brackets a synchronized frame. */
function drawsNothing(final: number, privateMarker: number, intermediate: boolean, first: number, second: number): boolean {
  if (intermediate) return false;
  if (privateMarker === 0x3f) return (final === 0x68 || final === 0x6c) && second < 0 && (first === CURSOR_VISIBLE_MODE || first === SYNC_OUTPUT_MODE);
  if (privateMarker !== 0) return false;
  // A–H: cursor up, down, forward, back, next line, previous line, column, position; d: row; f: position; m: colours.
  return (final >= 0x41 && final <= 0x48) || final === 0x64 || final === 0x66 || final === 0x6d;
}
