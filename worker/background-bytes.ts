// Output bytes waiting for background work (the tool parser, the screen checkpoint). They are handed on in slices once
// the output pauses: while it streams, relaying comes first (Daytona drops a PTY client that lags), and a flood
// overflows the bounded backlog, which is then forgotten, instead of taking turns with the relay.

export interface BackgroundBytesOptions {
  /** Bytes waiting beyond this are dropped, all of them; the work picks up at the next bytes. */
  maxBytes: number;
  /** Bytes handed on per turn of the event loop. (Bytes, not time: inside a Worker the clock stands still while code runs.) */
  sliceBytes: number;
  /** Work waits until no bytes came for this long, in milliseconds. */
  quietMs: number;
  /** The work: bytes starting at stream offset `offset`, in order, cut anywhere. */
  consume(offset: number, data: Uint8Array): void;
  /** Everything that waited has been handed on. */
  drained?(): void;
}

export class BackgroundBytes {
  #chunks: Array<{ offset: number; data: Uint8Array }> = [];
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastAddAt = 0;

  constructor(private readonly options: BackgroundBytesOptions) {}

  /** Bytes that start at `offset`, right after the previous ones. */
  add(offset: number, data: Uint8Array): void {
    if (this.#bytes + data.byteLength > this.options.maxBytes) this.clear();
    this.#chunks.push({ offset, data });
    this.#bytes += data.byteLength;
    this.#lastAddAt = Date.now();
    this.#timer ??= setTimeout(() => this.#run(), this.options.quietMs);
  }

  get pending(): boolean {
    return this.#chunks.length > 0;
  }

  /** Offset one past the last waiting byte, or null when none waits. */
  get end(): number | null {
    const last = this.#chunks.at(-1);
    return last ? last.offset + last.data.byteLength : null;
  }

  /** Hands on everything now (a reader needs the work's result up to date). */
  drainAll(): void {
    this.#consume(Number.POSITIVE_INFINITY);
  }

  /** Forgets what waits. */
  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  #run(): void {
    const quietFor = Date.now() - this.#lastAddAt;
    if (quietFor < this.options.quietMs) {
      this.#timer = setTimeout(() => this.#run(), this.options.quietMs - quietFor);
      return;
    }
    this.#consume(this.options.sliceBytes);
    this.#timer = this.pending ? setTimeout(() => this.#run(), 0) : undefined;
    if (!this.pending) this.options.drained?.();
  }

  /** Hands on up to `budget` bytes, cutting the last chunk when it is larger. */
  #consume(budget: number): void {
    while (budget > 0 && this.#chunks.length > 0) {
      const next = this.#chunks[0]!;
      const take = Math.min(budget, next.data.byteLength);
      budget -= take;
      this.#bytes -= take;
      if (take === next.data.byteLength) this.#chunks.shift();
      else this.#chunks[0] = { offset: next.offset + take, data: next.data.subarray(take) };
      this.options.consume(next.offset, next.data.subarray(0, take));
    }
  }
}
