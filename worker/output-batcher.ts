// Joins PTY output into fewer, larger frames while it streams, and lets a lone chunk (a keystroke's echo) go at once.

/** Largest joined frame, in bytes. */
const MAX_FRAME_BYTES = 256 * 1024;
/** Output counts as streaming while chunks arrive within this long of the last frame, in milliseconds. */
const STREAMING_WINDOW_MS = 2;

export class OutputBatcher {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #offset = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSentAt = 0;

  /**
   * `send` gets each frame's chunks, in order, with the stream offset of the first byte and the frame's length; it
   * joins them itself (encoding the frame copies them once anyway).
   */
  constructor(private readonly send: (offset: number, chunks: readonly Uint8Array[], byteLength: number) => void) {}

  /** Output that starts at `offset` (right after what was added before). */
  add(offset: number, data: Uint8Array): void {
    if (this.#bytes === 0) this.#offset = offset;
    this.#chunks.push(data);
    this.#bytes += data.byteLength;
    if (this.#bytes >= MAX_FRAME_BYTES || (!this.#timer && Date.now() - this.#lastSentAt >= STREAMING_WINDOW_MS)) {
      this.flush();
    } else {
      // Streaming: the chunks that arrive in this turn of the event loop leave together.
      this.#timer ??= setTimeout(() => this.flush(), 0);
    }
  }

  /** Sends whatever waits, now. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#bytes === 0) return;
    const chunks = this.#chunks;
    const byteLength = this.#bytes;
    this.#chunks = [];
    this.#bytes = 0;
    this.#lastSentAt = Date.now();
    this.send(this.#offset, chunks, byteLength);
  }
}
