// A token bucket: how many input bytes a client may send, refilled at a steady rate up to a burst.

export interface RateLimit {
  /** Sustained rate, in bytes per second. */
  bytesPerSecond: number;
  /** Largest amount sent at once after a quiet spell, in bytes; at least the largest input frame. */
  burstBytes: number;
}

/** Per client: 1 MiB/s sustained, a 2 MiB burst (a full-size paste always fits). */
export const INPUT_RATE_LIMIT: RateLimit = { bytesPerSecond: 1024 * 1024, burstBytes: 2 * 1024 * 1024 };

export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly limit: RateLimit,
    now = Date.now(),
  ) {
    this.#tokens = limit.burstBytes;
    this.#updatedAt = now;
  }

  /** Takes `bytes` if the bucket holds them; otherwise takes nothing and answers false. */
  take(bytes: number, now = Date.now()): boolean {
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.limit.burstBytes, this.#tokens + elapsedSeconds * this.limit.bytesPerSecond);
    this.#updatedAt = now;
    if (bytes > this.#tokens) return false;
    this.#tokens -= bytes;
    return true;
  }
}
