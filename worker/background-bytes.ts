// Output bytes waiting for background work (the tool parser, the screen checkpoint). They are handed on in slices once
// the output pauses: while it streams, relaying comes first (Daytona drops a PTY client that lags). The work takes at
// most `maxBytes` a second, and no more than that waits: under a flood the oldest waiting bytes are forgotten, so the
// work costs a bounded share of the room's time and, once the flood ends, sees its newest bytes.

/** The span over which `maxBytes` bounds the work, in milliseconds. */
const BUDGET_WINDOW_MS = 1000;

export interface BackgroundBytesOptions {
  /**
   * At most this many bytes wait (the oldest are dropped beyond it; the work picks up after the gap), and at most
   * this many are handed on per second.
   */
  maxBytes: number;
  /** Bytes handed on per turn of the event loop. (Bytes, not time: inside a Worker the clock stands still while code runs.) */
  sliceBytes: number;
  /** Work waits until no bytes came for this long, in milliseconds. */
  quietMs: number;
  /** The work: bytes starting at stream offset `offset`, in order, cut anywhere (a gap means bytes were dropped). */
  consume(offset: number, data: Uint8Array): void;
  /** Everything that waited has been handed on. */
  drained?(): void;
}

export class BackgroundBytes {
  #chunks: Array<{ offset: number; data: Uint8Array }> = [];
  #head = 0;
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastAddAt = 0;
  #windowStart = 0;
  #windowBytes = 0;

  constructor(private readonly options: BackgroundBytesOptions) {}

  /** Bytes that start at `offset`, right after the previous ones. */
  add(offset: number, data: Uint8Array): void {
    this.#chunks.push({ offset, data });
    this.#bytes += data.byteLength;
    if (this.#bytes > this.options.maxBytes) this.#dropOldest();
    this.#lastAddAt = Date.now();
    this.#timer ??= setTimeout(() => this.#run(), this.options.quietMs);
  }

  get pending(): boolean {
    return this.#head < this.#chunks.length;
  }

  /** Offset one past the last waiting byte, or null when none waits. */
  get end(): number | null {
    const last = this.#chunks.at(-1);
    return this.pending && last ? last.offset + last.data.byteLength : null;
  }

  /** Hands on everything now, whatever the budget (a reader needs the work's result up to date). */
  drainAll(): void {
    this.#consume(Number.POSITIVE_INFINITY);
  }

  /** Forgets what waits. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  #run(): void {
    this.#timer = undefined;
    const now = Date.now();
    const quietFor = now - this.#lastAddAt;
    if (quietFor < this.options.quietMs) {
      this.#timer = setTimeout(() => this.#run(), this.options.quietMs - quietFor);
      return;
    }
    if (now - this.#windowStart >= BUDGET_WINDOW_MS) {
      this.#windowStart = now;
      this.#windowBytes = 0;
    }
    const budget = Math.min(this.options.sliceBytes, this.options.maxBytes - this.#windowBytes);
    if (budget <= 0) {
      this.#timer = setTimeout(() => this.#run(), this.#windowStart + BUDGET_WINDOW_MS - now);
      return;
    }
    this.#windowBytes += this.#consume(budget);
    if (this.pending) this.#timer = setTimeout(() => this.#run(), 0);
    else this.options.drained?.();
  }

  /** Hands on up to `budget` bytes, cutting the last chunk when it is larger; returns how many. */
  #consume(budget: number): number {
    let handed = 0;
    while (handed < budget && this.pending) {
      const next = this.#chunks[this.#head]!;
      const take = Math.min(budget - handed, next.data.byteLength);
      handed += take;
      this.#bytes -= take;
      if (take === next.data.byteLength) this.#shift();
      else this.#chunks[this.#head] = { offset: next.offset + take, data: next.data.subarray(take) };
      this.options.consume(next.offset, next.data.subarray(0, take));
    }
    return handed;
  }

  /** Forgets the oldest waiting bytes until no more than `maxBytes` wait. */
  #dropOldest(): void {
    while (this.#bytes > this.options.maxBytes) {
      const oldest = this.#chunks[this.#head]!;
      const excess = this.#bytes - this.options.maxBytes;
      if (oldest.data.byteLength <= excess) {
        this.#bytes -= oldest.data.byteLength;
        this.#shift();
      } else {
        this.#chunks[this.#head] = { offset: oldest.offset + excess, data: oldest.data.subarray(excess) };
        this.#bytes -= excess;
      }
    }
  }

  #shift(): void {
    this.#head++;
    if (this.#head === this.#chunks.length) this.clear();
    else if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
