// ReconnectBackoff: how long to wait before the next connection attempt; the wait can be cut short.

/** Reconnection timing. All durations in milliseconds. */
export const ReconnectPolicy = {
  /** First retry after a connection that had stayed up: a random wait up to this, so a deploy's dropped clients spread out. */
  firstRetryJitter: 500,
  /** Wait after the first failed attempt; each further failure waits `growFactor` times longer, up to `maxDelay`. */
  minDelay: 1_000,
  maxDelay: 10_000,
  growFactor: 1.5,
  /** Each wait is scaled by a random factor in 1 ± jitter. */
  jitter: 0.2,
  /** A connection that closes sooner than this counts as a failed attempt. */
  minUptime: 5_000,
  /** While the browser reports no network, attempts wait for its `online` event, or at most this long. */
  offlineWait: 30_000,
} as const;

export class ReconnectBackoff {
  /** Attempts in a row that failed or closed within `minUptime`. */
  #failures = 0;
  /** `Date.now()` when the current connection opened; 0 when none is open. */
  #openedAt = 0;
  /** How long the last connection stayed open (0 when the last attempt never opened). */
  #lastUptime = 0;
  #wake: (() => void) | null = null;

  /** Attempts in a row that failed, as counted at the last wait. */
  get failures(): number {
    return this.#failures;
  }

  /** The connection opened. */
  opened(): void {
    this.#openedAt = Date.now();
  }

  /** The open connection closed. */
  closed(): void {
    if (this.#openedAt !== 0) this.#lastUptime = Date.now() - this.#openedAt;
    this.#openedAt = 0;
  }

  /**
   * Waits before the next attempt: short and random after a connection that stayed up, growing after each
   * failure, or (offline) until `wake()` when the network returns.
   */
  wait(offline: boolean): Promise<void> {
    this.#failures = this.#lastUptime >= ReconnectPolicy.minUptime ? 0 : this.#failures + 1;
    this.#lastUptime = 0;
    if (offline) return this.#sleep(ReconnectPolicy.offlineWait);
    const { firstRetryJitter, minDelay, maxDelay, growFactor, jitter } = ReconnectPolicy;
    const delay =
      this.#failures === 0
        ? Math.random() * firstRetryJitter
        : Math.min(maxDelay, minDelay * growFactor ** (this.#failures - 1)) * (1 - jitter + 2 * jitter * Math.random());
    return this.#sleep(delay);
  }

  /** Ends the current wait now (the user asked, or the network came back). */
  wake(): void {
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    this.#wake?.();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
