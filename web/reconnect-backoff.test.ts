import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReconnectBackoff, ReconnectPolicy } from "./reconnect-backoff";

/** How long `wait` takes on fake timers, in ms. */
async function waited(backoff: ReconnectBackoff, offline = false): Promise<number> {
  const start = Date.now();
  let done = false;
  const promise = backoff.wait(offline).then(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(50);
  await promise;
  return Date.now() - start;
}

describe("ReconnectBackoff", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter: the factor is exactly 1
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("grows the wait after each failed attempt, up to the cap", async () => {
    const backoff = new ReconnectBackoff();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) waits.push(await waited(backoff));
    expect(waits.slice(0, 4)).toEqual([1000, 1500, 2250, 3400]); // 3375, measured in 50 ms steps
    expect(waits.at(-1)).toBe(ReconnectPolicy.maxDelay);
  });

  it("retries quickly after a connection that stayed up, and counts a short-lived one as a failure", async () => {
    const backoff = new ReconnectBackoff();
    await waited(backoff);
    await waited(backoff);
    backoff.opened();
    vi.advanceTimersByTime(ReconnectPolicy.minUptime);
    backoff.closed();
    expect(await waited(backoff)).toBeLessThanOrEqual(ReconnectPolicy.firstRetryJitter);
    expect(backoff.failures).toBe(0);
    backoff.opened();
    vi.advanceTimersByTime(100);
    backoff.closed();
    expect(await waited(backoff)).toBe(ReconnectPolicy.minDelay);
  });

  it("ends a wait early on wake, e.g. when the network returns", async () => {
    const backoff = new ReconnectBackoff();
    let done = false;
    const promise = backoff.wait(true).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    backoff.wake();
    await promise;
    expect(done).toBe(true);
  });
});
