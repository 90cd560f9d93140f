// Renders PTY bytes with @xterm/headless and hands out the rows that changed, each numbered by its absolute position in the stream.
import { Terminal } from "../xterm-headless";

const EMPTY = new Uint8Array(0);
/** Longest UTF-8 encoding of one character, in bytes. */
const MAX_UTF8_BYTES = 4;
/** Alternate-screen rows are numbered from here, apart from the normal buffer's. */
const ALT_ROW_BASE = 1e12;
/** Below this chroma (max − min of R, G, B) a colour counts as gray, white or black. */
const GRAY_CHROMA = 40;
/** Above / below this brightness an unsaturated colour is white / black (plain text). */
const WHITE_LEVEL = 230;
const BLACK_LEVEL = 40;

/** How a cell's foreground colour reads: tool bullets are gray (running), green (done) or red (failed). */
export type ColorClass = "none" | "plain" | "gray" | "green" | "red" | "other";

/** One rendered row. */
export interface RowSnapshot {
  /** Absolute row number: rows scrolled into history keep theirs. */
  abs: number;
  /** The row's text, trailing blanks trimmed. */
  text: string;
  /** The last column holds a character: the text may continue on the next row without a dropped space. */
  full: boolean;
  /** Colour of a `●`/`⏺` in column 0 ("none" without one). */
  bullet: ColorClass;
  /** Column 2 is bold (tool names are drawn bold). */
  bold: boolean;
}

/** One row of xterm's buffer (BufferLine): cells are read in place, with no wrapper objects. */
interface XtermLine {
  /** Three words per cell: content (code point, width, combined flag), foreground, background. */
  _data: Uint32Array;
  translateToString(trimRight: boolean): string;
}

interface XtermBuffer {
  /** Rows scrolled into history above the viewport. */
  ybase: number;
  lines: { get(index: number): XtermLine | undefined };
}

/** The private parts of xterm.js 6.0.0 this adapter uses (checked at construction). */
interface XtermInternals {
  writeSync(data: Uint8Array): void;
  _inputHandler: { _dirtyRowTracker: { start: number; end: number } };
  buffers: {
    active: XtermBuffer;
    alt: XtermBuffer;
    normal: XtermBuffer & { lines: { onTrim(listener: (count: number) => void): { dispose(): void } } };
  };
}

/** Bits of xterm's foreground word (xterm.js `Attributes` and `FgFlags`). */
const FG_COLOR_MODE = 0x3000000;
const FG_MODE_P16 = 0x1000000;
const FG_MODE_P256 = 0x2000000;
const FG_MODE_RGB = 0x3000000;
const FG_PALETTE_INDEX = 0xff;
const FG_BOLD = 0x8000000;
/** Words per cell in a line's data (content, foreground, background), and the content word's "combined" flag. */
const CELL_WORDS = 3;
const FG_WORD = 1;
const CONTENT_CODE_POINT = 0x1fffff;
const CONTENT_COMBINED = 0x200000;
/** Code point or combined flag: the cell holds a character. */
const CONTENT_HAS_CHARS = 0x3fffff;
const CONTENT_WIDTH_SHIFT = 22;
const SPACE = 0x20;
/** Tool bullets: `●`, and `⏺` on macOS. */
const BULLET = 0x25cf;
const MAC_BULLET = 0x23fa;
/** Words of a remembered row before its content words: the foregrounds of columns 0 and 2. */
const CELLS_HEAD = 2;
/** Marks a memory slot that holds no row. */
const NO_ROW = -1;
/** How far above a changed row the screen looks for a remembered row with the same characters (the live area moved down). */
const MOVED_ROWS = 3;
const BOLD_COLUMN = 2;

export interface ScreenOptions {
  cols: number;
  rows: number;
  /** Rows kept above the viewport. */
  scrollback: number;
}

export class Screen {
  readonly #terminal: Terminal;
  readonly #core: XtermInternals;
  #trimmed = 0;
  #carry: Uint8Array = EMPTY;
  #pendingFrom = Number.POSITIVE_INFINITY;
  #pendingTo = -1;
  #title = "";
  /** Scratch UTF-16 code units for building row texts. */
  #units = new Uint16Array(0);
  /**
   * What `takeChanged` last handed out of the newest rows, to tell cheaply whether a row changed since: a ring of
   * slots (row `abs` in slot `abs % slots`), each the foreground words of columns 0 and 2, then every cell's content
   * word (xterm's). `#memoryRows[slot]` says which row a slot holds, `#memoryTexts[slot]` the text read from it; a
   * row with combined characters is not kept, as its content words do not pin its text down.
   */
  #memory = new Uint32Array(0);
  #memoryRows = new Float64Array(0);
  #memoryTexts: string[] = [];

  constructor(options: ScreenOptions) {
    this.#terminal = new Terminal({ cols: options.cols, rows: options.rows, scrollback: options.scrollback, allowProposedApi: true, logLevel: "off" });
    const core = (this.#terminal as unknown as { _core?: Partial<XtermInternals> })._core;
    if (!core || typeof core.writeSync !== "function" || !core._inputHandler?._dirtyRowTracker || !core.buffers?.normal.lines.onTrim || !hasLineReaders(core.buffers.normal)) {
      throw new Error("@xterm/headless internals changed: the Claude TUI parser is built against @xterm/headless 6.0.0");
    }
    this.#core = core as XtermInternals;
    this.#core.buffers.normal.lines.onTrim((count) => {
      this.#trimmed += count;
    });
    this.#terminal.onTitleChange((title) => {
      this.#title = title;
    });
  }

  get cols(): number {
    return this.#terminal.cols;
  }

  get rows(): number {
    return this.#terminal.rows;
  }

  /** The last window title set with OSC 0/2. */
  get title(): string {
    return this.#title;
  }

  /** Absolute number of the viewport's top row. */
  get top(): number {
    const buffers = this.#core.buffers;
    return buffers.active === buffers.alt ? ALT_ROW_BASE : this.#trimmed + buffers.active.ybase;
  }

  /** Absolute number of the oldest row still held. */
  get oldest(): number {
    const buffers = this.#core.buffers;
    return buffers.active === buffers.alt ? ALT_ROW_BASE : this.#trimmed;
  }

  get bottom(): number {
    return this.top + this.#terminal.rows - 1;
  }

  /** Whether rows changed since the last `takeChanged`. */
  get dirty(): boolean {
    return this.#pendingTo >= 0;
  }

  /** Rows waiting to be read (an upper bound). */
  get pendingRows(): number {
    return this.#pendingTo < 0 ? 0 : this.#pendingTo - this.#pendingFrom + 1;
  }

  /** Applies bytes at once (xterm's own `write` would defer them to a timer). */
  write(bytes: Uint8Array): void {
    const whole = this.#wholeCharacters(bytes);
    if (whole.length === 0) return;
    const topBefore = this.top;
    this.#core.writeSync(whole);
    const tracker = this.#core._inputHandler._dirtyRowTracker;
    const top = this.top;
    // Rows that scrolled off during this write were dirty as well; xterm marks the whole viewport on a scroll.
    const from = top !== topBefore ? Math.min(topBefore, top) : top + tracker.start;
    this.#note(from, top + Math.max(tracker.start, tracker.end));
  }

  /**
   * The bytes up to the last complete UTF-8 character; the rest waits for the next write. xterm.js 6.0.0 decodes a
   * character split across writes wrongly when a continuation byte is 0x80 (as in `…`, E2 80 A6).
   */
  #wholeCharacters(bytes: Uint8Array): Uint8Array {
    let data = bytes;
    if (this.#carry.length > 0) {
      data = new Uint8Array(this.#carry.length + bytes.length);
      data.set(this.#carry);
      data.set(bytes, this.#carry.length);
      this.#carry = EMPTY;
    }
    const cut = incompleteTail(data);
    if (cut === data.length) return data;
    this.#carry = data.slice(cut);
    return data.subarray(0, cut);
  }

  resize(cols: number, rows: number): void {
    this.#terminal.resize(cols, rows);
    this.#memoryRows.fill(NO_ROW);
    this.#note(this.top, this.bottom);
  }

  /**
   * Reads the rows marked as changed among the `windowRows` rows up to the bottom, and forgets the marks. A row whose
   * cells are as `takeChanged` last handed it out is left out: xterm marks every row the cursor crossed, and most of
   * those are drawn as they were. (The screen remembers the window's rows in the ring slots `abs % windowRows`: a
   * caller that keeps its own reading of each row the same way knows every row left out.)
   */
  takeChanged(windowRows: number): RowSnapshot[] {
    if (this.#pendingTo < 0) return [];
    const bottom = this.bottom;
    const to = Math.min(this.#pendingTo, bottom);
    const oldest = this.oldest;
    const from = Math.max(this.#pendingFrom, bottom - windowRows + 1, oldest);
    this.#pendingFrom = Number.POSITIVE_INFINITY;
    this.#pendingTo = -1;
    const stride = this.#terminal.cols + CELLS_HEAD;
    if (this.#memoryRows.length !== windowRows || this.#memory.length !== windowRows * stride) {
      this.#memory = new Uint32Array(windowRows * stride);
      this.#memoryRows = new Float64Array(windowRows).fill(NO_ROW);
      this.#memoryTexts = new Array<string>(windowRows).fill("");
    }
    const memory = this.#memory;
    const lines = this.#core.buffers.active.lines;
    const rows: RowSnapshot[] = [];
    // Bottom up: when the live area moved down, the rows above a changed row are still remembered as they were.
    for (let abs = to; abs >= from; abs--) {
      const line = lines.get(abs - oldest);
      if (!line) continue;
      const slot = abs % windowRows;
      const at = slot * stride;
      const data = line._data;
      if (this.#memoryRows[slot] === abs && sameCells(data, memory, at)) continue;
      // A line longer or shorter than the screen is wide (xterm may keep one after a resize) is not remembered.
      const remembered = data.length === (stride - CELLS_HEAD) * CELL_WORDS;
      const text = (remembered ? this.#movedText(data, abs, windowRows, stride) : undefined) ?? this.#text(line);
      this.#memoryRows[slot] = remembered && rememberCells(data, memory, at) ? abs : NO_ROW;
      this.#memoryTexts[slot] = text;
      rows.push(this.#snapshot(abs, line, text));
    }
    return rows.reverse();
  }

  /** The text of a remembered row just above `abs` whose characters `data` repeats, or undefined. */
  #movedText(data: Uint32Array, abs: number, windowRows: number, stride: number): string | undefined {
    for (let above = abs - 1; above >= abs - MOVED_ROWS && above >= 0; above--) {
      const slot = above % windowRows;
      if (this.#memoryRows[slot] === above && sameContent(data, this.#memory, slot * stride)) return this.#memoryTexts[slot];
    }
    return undefined;
  }

  /** One row by absolute number, or undefined when it is no longer held. */
  read(abs: number): RowSnapshot | undefined {
    const line = this.#core.buffers.active.lines.get(abs - this.oldest);
    return line ? this.#snapshot(abs, line, this.#text(line)) : undefined;
  }

  #snapshot(abs: number, line: XtermLine, text: string): RowSnapshot {
    const data = line._data;
    const cols = this.#terminal.cols;
    // A character in the last column, or the right half of a wide one.
    const last = data[(cols - 1) * CELL_WORDS] ?? 0;
    const full = (last & CONTENT_HAS_CHARS) !== 0 || last >>> CONTENT_WIDTH_SHIFT === 0;
    const first = (data[0] ?? 0) & (CONTENT_CODE_POINT | CONTENT_COMBINED);
    const bullet = first === BULLET || first === MAC_BULLET ? fgClass(data[FG_WORD] ?? 0) : "none";
    const bold = cols > BOLD_COLUMN && (boldWord(data) & FG_BOLD) !== 0;
    return { abs, text, full, bullet, bold };
  }

  /**
   * The row's text, trailing blanks trimmed: what xterm's `translateToString(true)` gives, built as one flat string
   * (xterm appends cell by cell, and the rope it builds costs more to compare and match than to build flat).
   */
  #text(line: XtermLine): string {
    const data = line._data;
    const cols = data.length / CELL_WORDS;
    let end = 0;
    for (let col = cols - 1; col >= 0; col--) {
      const content = data[col * CELL_WORDS] ?? 0;
      if (content & CONTENT_HAS_CHARS) {
        end = col + (content >>> CONTENT_WIDTH_SHIFT);
        break;
      }
    }
    if (this.#units.length < end * 2) this.#units = new Uint16Array(end * 2);
    const units = this.#units;
    let length = 0;
    for (let col = 0; col < end; ) {
      const content = data[col * CELL_WORDS] ?? 0;
      const codePoint = content & CONTENT_CODE_POINT;
      // Combined characters (emoji sequences, accents) are rare: xterm's own reading handles them.
      if (content & CONTENT_COMBINED) return line.translateToString(true);
      if (codePoint > 0xffff) {
        units[length++] = 0xd800 + ((codePoint - 0x10000) >> 10);
        units[length++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
      } else {
        units[length++] = codePoint === 0 ? SPACE : codePoint;
      }
      col += content >>> CONTENT_WIDTH_SHIFT || 1;
    }
    return String.fromCharCode.apply(null, units.subarray(0, length) as unknown as number[]);
  }

  dispose(): void {
    this.#terminal.dispose();
  }

  #note(from: number, to: number): void {
    if (from < this.#pendingFrom) this.#pendingFrom = from;
    if (to > this.#pendingTo) this.#pendingTo = to;
  }
}

function hasLineReaders(buffer: Partial<XtermBuffer>): boolean {
  const line = buffer.lines?.get(0);
  return (
    typeof buffer.ybase === "number" &&
    line !== undefined &&
    line._data instanceof Uint32Array &&
    typeof line.translateToString === "function"
  );
}

/** Whether a row's cells still read as remembered at `memory[at]` (see `Screen.#memory`). */
function sameCells(data: Uint32Array, memory: Uint32Array, at: number): boolean {
  return data[FG_WORD] === memory[at] && boldWord(data) === memory[at + 1] && sameContent(data, memory, at);
}

/** Whether a row holds the characters remembered at `memory[at]` (colours aside). */
function sameContent(data: Uint32Array, memory: Uint32Array, at: number): boolean {
  const cols = data.length / CELL_WORDS;
  const cells = at + CELLS_HEAD;
  for (let col = 0; col < cols; col++) if (data[col * CELL_WORDS] !== memory[cells + col]) return false;
  return true;
}

/** Remembers what a row reads from at `memory[at]`; false when its combined characters cannot be remembered so. */
function rememberCells(data: Uint32Array, memory: Uint32Array, at: number): boolean {
  memory[at] = data[FG_WORD] ?? 0;
  memory[at + 1] = boldWord(data);
  const cols = data.length / CELL_WORDS;
  const cells = at + CELLS_HEAD;
  for (let col = 0; col < cols; col++) {
    const content = data[col * CELL_WORDS] ?? 0;
    if (content & CONTENT_COMBINED) return false;
    memory[cells + col] = content;
  }
  return true;
}

function boldWord(data: Uint32Array): number {
  return data[BOLD_COLUMN * CELL_WORDS + FG_WORD] ?? 0;
}

/** Where an unfinished UTF-8 character at the end of `bytes` starts (`bytes.length` when none). */
export function incompleteTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= MAX_UTF8_BYTES - 1 && back <= end; back++) {
    const byte = bytes[end - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 && byte < 0xf8 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}

/** Classifies a cell's foreground word: palette and truecolor both map onto the few classes the parser cares about. */
export function fgClass(fg: number): ColorClass {
  const mode = fg & FG_COLOR_MODE;
  if (mode === FG_MODE_P16 || mode === FG_MODE_P256) return paletteClass(fg & FG_PALETTE_INDEX);
  if (mode === FG_MODE_RGB) return rgbClass((fg >> 16) & 0xff, (fg >> 8) & 0xff, fg & 0xff);
  return "plain";
}

export function rgbClass(r: number, g: number, b: number): ColorClass {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < GRAY_CHROMA) return max >= WHITE_LEVEL || max <= BLACK_LEVEL ? "plain" : "gray";
  // Error red is pinkish (blue at least as high as green); Claude's orange (215,119,87) is not.
  if (r === max && g < r * 0.75 && b >= g * 0.9) return "red";
  if (g === max && r < g * 0.85) return "green";
  return "other";
}

function paletteClass(index: number): ColorClass {
  if (index === 1 || index === 9) return "red";
  if (index === 2 || index === 10) return "green";
  if (index === 8 || (index >= 240 && index <= 250)) return "gray";
  if (index === 0 || index === 7 || index === 15) return "plain";
  return "other";
}
