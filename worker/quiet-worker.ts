// Background work that waits for a pause in the input: while output streams, relaying it comes first (Daytona drops a
// PTY client that lags), and a flood overflows the work's own bounded backlog instead of taking turns with the relay.

export class QuietWorker {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastPokeAt = 0;

  /**
   * `slice` does one bounded piece of the work and returns whether more remains; it runs once nothing new has come
   * for `quietMs` milliseconds, then slice after slice between other events.
   */
  constructor(
    private readonly quietMs: number,
    private readonly slice: () => boolean,
  ) {}

  /** New work arrived. */
  poke(): void {
    this.#lastPokeAt = Date.now();
    this.#timer ??= setTimeout(() => this.#run(), this.quietMs);
  }

  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run(): void {
    const quietFor = Date.now() - this.#lastPokeAt;
    if (quietFor < this.quietMs) {
      this.#timer = setTimeout(() => this.#run(), this.quietMs - quietFor);
      return;
    }
    this.#timer = this.slice() ? setTimeout(() => this.#run(), 0) : undefined;
  }
}
