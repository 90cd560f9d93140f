// OffsetLineMap: which terminal line the cursor was on once the output up to a stream offset was drawn, for finding where a call happened.

/** A line that follows the buffer as it scrolls, trims and reflows (an xterm marker); `line` is -1 once gone. */
export interface LineHandle {
  readonly line: number;
  dispose(): void;
}

interface Checkpoint<H extends LineHandle> {
  /** Stream offset one past the last byte drawn when the cursor was on `handle`'s line. */
  end: number;
  handle: H;
}

/** Checkpoints kept at most; past it, every other one of the older half goes (old calls get coarser, never lost). */
export const MAX_CHECKPOINTS = 1_024;

export class OffsetLineMap<H extends LineHandle> {
  readonly #max: number;
  #checkpoints: Checkpoint<H>[] = [];
  /** Stream offset of the first byte drawn since the last clear; earlier offsets are not on this terminal. */
  #from: number | null = null;

  constructor(max = MAX_CHECKPOINTS) {
    this.#max = Math.max(2, max);
  }

  get size(): number {
    return this.#checkpoints.length;
  }

  /**
   * Output [`start`, `end`) was drawn and left the cursor on absolute buffer line `line`. A run of writes that
   * leaves it on the same line shares one checkpoint; `mark` makes the handle for a new one (undefined: none).
   */
  record(start: number, end: number, line: number, mark: () => H | undefined): void {
    this.#from ??= start;
    const last = this.#checkpoints.at(-1);
    if (last && last.handle.line === line) {
      last.end = end;
      return;
    }
    const handle = mark();
    if (!handle) return;
    this.#checkpoints.push({ end, handle });
    if (this.#checkpoints.length > this.#max) this.#thin();
  }

  /**
   * The line the cursor was on right after the write holding byte `offset` was drawn, or null when that part
   * of the stream is not on this terminal (before its first byte, or trimmed from the scrollback since).
   */
  lineAt(offset: number): number | null {
    if (this.#from === null || offset < this.#from) return null;
    const checkpoints = this.#checkpoints;
    let low = 0;
    let high = checkpoints.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (checkpoints[middle]!.end > offset) high = middle;
      else low = middle + 1;
    }
    // `offset` was drawn in the run that ends at checkpoints[low]; one drawn but not yet recorded sits after the last.
    const checkpoint = checkpoints[Math.min(low, checkpoints.length - 1)];
    const line = checkpoint?.handle.line ?? -1;
    return line >= 0 ? line : null;
  }

  /** The screen was reset: nothing recorded is on it any more. */
  clear(): void {
    for (const checkpoint of this.#checkpoints) checkpoint.handle.dispose();
    this.#checkpoints = [];
    this.#from = null;
  }

  #thin(): void {
    const half = Math.floor(this.#checkpoints.length / 2);
    const kept: Checkpoint<H>[] = [];
    this.#checkpoints.forEach((checkpoint, index) => {
      // Dropping checkpoint i leaves its bytes to the next one kept: a line a little further down.
      if (index < half && index % 2 === 0) checkpoint.handle.dispose();
      else kept.push(checkpoint);
    });
    this.#checkpoints = kept;
  }
}
