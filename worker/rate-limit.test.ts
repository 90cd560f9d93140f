// The input token bucket.
import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limit";

describe("TokenBucket", () => {
  const limit = { bytesPerSecond: 1000, burstBytes: 2000 };

  it("allows a burst, then the sustained rate", () => {
    const bucket = new TokenBucket(limit, 0);
    expect(bucket.take(2000, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(500, 500)).toBe(true);
    expect(bucket.take(501, 500)).toBe(false);
  });

  it("never holds more than the burst", () => {
    const bucket = new TokenBucket(limit, 0);
    expect(bucket.take(2001, 60_000)).toBe(false);
    expect(bucket.take(2000, 60_000)).toBe(true);
  });

  it("takes nothing when it refuses", () => {
    const bucket = new TokenBucket(limit, 0);
    expect(bucket.take(1500, 0)).toBe(true);
    expect(bucket.take(600, 0)).toBe(false);
    expect(bucket.take(500, 0)).toBe(true);
  });
});
