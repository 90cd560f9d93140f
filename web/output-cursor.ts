// OutputCursor: tracks the next expected stream offset and trims output frames to the bytes not yet delivered.

/** What to do with one output frame. */
export type Accepted =
  /** Deliver `data` (possibly the tail of the frame); `gap` counts bytes the server skipped (0 when contiguous). */
  | { deliver: true; data: Uint8Array; gap: number }
  /** Everything in the frame was delivered before (a replay overlapping what this client already has). */
  | { deliver: false };

export class OutputCursor {
  #next: number | null = null;

  /** Offset of the next byte the terminal expects, or null before the first output byte arrived. */
  get next(): number | null {
    return this.#next;
  }

  /** Takes a frame that starts at `offset`; drops any bytes before the expected offset. */
  accept(offset: number, data: Uint8Array): Accepted {
    const end = offset + data.byteLength;
    if (this.#next === null) {
      // First output of this page: whatever the server retained is where the terminal starts.
      this.#next = end;
      return { deliver: true, data, gap: 0 };
    }
    if (end <= this.#next) return { deliver: false };
    const gap = Math.max(0, offset - this.#next);
    const from = Math.max(0, this.#next - offset);
    this.#next = end;
    return { deliver: true, data: from === 0 ? data : data.subarray(from), gap };
  }

  /** The server no longer has what this client expected: output restarts at `offset` on a cleared terminal. */
  restartAt(offset: number): void {
    this.#next = offset;
  }
}
