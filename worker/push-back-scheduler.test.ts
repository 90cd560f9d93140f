import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pushBackScheduler } from "./push-back-scheduler";

describe("pushBackScheduler", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs only the latest callback, once its own delay has passed", () => {
    const schedule = pushBackScheduler();
    const runs: string[] = [];
    schedule(() => runs.push("first"), 50);
    vi.advanceTimersByTime(30);
    schedule(() => runs.push("second"), 50); // pushed back to 80 ms
    vi.advanceTimersByTime(40);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(runs).toEqual(["second"]);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(["second"]);
  });

  it("keeps one timer however often it is pushed back", () => {
    const schedule = pushBackScheduler();
    for (let i = 0; i < 100; i++) {
      schedule(() => undefined, 50);
      vi.advanceTimersByTime(1);
    }
    expect(vi.getTimerCount()).toBe(1);
  });

  it("runs nothing once cancelled, and schedules again afterwards", () => {
    const schedule = pushBackScheduler();
    const runs: string[] = [];
    const cancel = schedule(() => runs.push("cancelled"), 50);
    cancel();
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([]);
    schedule(() => runs.push("later"), 20);
    vi.advanceTimersByTime(20);
    expect(runs).toEqual(["later"]);
  });

  it("a stale cancel does not cancel the callback that replaced it", () => {
    const schedule = pushBackScheduler();
    const runs: string[] = [];
    const cancelFirst = schedule(() => runs.push("first"), 50);
    schedule(() => runs.push("second"), 50);
    cancelFirst();
    vi.advanceTimersByTime(50);
    expect(runs).toEqual(["second"]);
  });
});
