// The background backlog: work waits for a pause, takes bytes in order, at most its budget per second, the newest under a flood.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BackgroundBytes } from "./background-bytes";

const bytes = (length: number): Uint8Array => new Uint8Array(length).fill(0x61);

describe("BackgroundBytes", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function recorder(maxBytes: number) {
    const events: string[] = [];
    const backlog = new BackgroundBytes({
      maxBytes,
      sliceBytes: 100,
      quietMs: 5,
      consume: (offset, data) => events.push(`${offset}+${data.byteLength}`),
    });
    return { backlog, events };
  }

  it("hands bytes on in slices once the output pauses", () => {
    const { backlog, events } = recorder(1000);
    backlog.add(0, bytes(150));
    backlog.add(150, bytes(50));
    expect(events).toEqual([]);
    vi.advanceTimersByTime(5);
    expect(events).toEqual(["0+100"]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(["0+100", "100+50", "150+50"]);
    expect(backlog.pending).toBe(false);
  });

  it("keeps only the newest bytes under a flood, and hands on at most its budget per second", () => {
    const { backlog, events } = recorder(300);
    for (let offset = 0; offset < 1000; offset += 100) backlog.add(offset, bytes(100));
    expect(backlog.end).toBe(1000);
    vi.advanceTimersByTime(5);
    expect(events).toEqual(["700+100"]);
    vi.advanceTimersByTime(5);
    expect(events).toEqual(["700+100", "800+100", "900+100"]);
    for (let offset = 1000; offset < 1300; offset += 100) backlog.add(offset, bytes(100));
    vi.advanceTimersByTime(500);
    expect(events).toHaveLength(3); // this second's budget is spent
    vi.advanceTimersByTime(500);
    expect(events).toEqual(["700+100", "800+100", "900+100", "1000+100", "1100+100", "1200+100"]);
  });
});
