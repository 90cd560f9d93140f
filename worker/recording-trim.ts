// Keeps the sandbox's recording from filling the sandbox's disk: `script` appends every byte the session prints, for
// as long as the PTY runs. Output far enough behind the stream's end that no catch-up or read-back can ask for it
// again has its disk space given back, a step at a time, while the file keeps its offsets.

/**
 * Discards the recording before stream offset `before`; null when it cannot now (no PTY link, no recording). May
 * discard a little less (whole units only).
 */
export type DiscardRecorded = (before: number) => Promise<void> | null;

export class RecordingTrim {
  /** Stream offset before which the recording may be gone (set as a discard starts: its bytes are no longer read). */
  #discardedBefore = 0;
  #discarding = false;
  /** The sandbox cannot punch holes (an old `fallocate`, a file system without it): the room stops asking. */
  #unsupported = false;

  constructor(
    /**
     * Bytes kept behind the stream's end; a discard runs once this much more can go. A client the log moved past is
     * caught up from at most two logs behind the end, and a read-back starts at the room's own end, so a few logs'
     * worth keeps everything the room may ask for, with room for the archive's lag after a restart.
     */
    private readonly keepBytes: number,
    private readonly discard: DiscardRecorded,
  ) {}

  /** The recording may hold zeros before this stream offset: reads must start at or after it. */
  get discardedBefore(): number {
    return this.#discardedBefore;
  }

  /** The stream has reached `end`: discards what lies more than `keepBytes` behind, once that is `keepBytes` more. */
  advance(end: number): void {
    const before = end - this.keepBytes;
    if (this.#discarding || this.#unsupported || before - this.#discardedBefore < this.keepBytes) return;
    const discarding = this.discard(before);
    if (!discarding) return;
    this.#discarding = true;
    this.#discardedBefore = before;
    discarding
      .catch((error: unknown) => {
        this.#unsupported = true;
        console.warn("recording.trim", { before, error: String(error) });
      })
      .finally(() => {
        this.#discarding = false;
      });
  }
}
