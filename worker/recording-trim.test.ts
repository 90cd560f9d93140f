import { describe, expect, it, vi } from "vitest";
import { RecordingTrim } from "./recording-trim";

const MiB = 1024 * 1024;

/** A discard the test settles by hand, with every offset it was asked for. */
function manualDiscard() {
  const asked: number[] = [];
  const pending: Array<{ resolve(): void; reject(error: Error): void }> = [];
  const discard = (before: number): Promise<void> => {
    asked.push(before);
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { asked, pending, discard };
}

const settled = () => new Promise((done) => setTimeout(done, 0));

describe("RecordingTrim", () => {
  it("keeps `keepBytes` behind the end and discards once as much again can go", () => {
    const { asked, discard } = manualDiscard();
    const trim = new RecordingTrim(4 * MiB, discard);
    trim.advance(4 * MiB);
    trim.advance(8 * MiB - 1);
    expect(asked).toEqual([]);
    trim.advance(8 * MiB);
    expect(asked).toEqual([4 * MiB]);
    expect(trim.discardedBefore).toBe(4 * MiB);
  });

  it("runs one discard at a time, and the next a step after the last", async () => {
    const { asked, pending, discard } = manualDiscard();
    const trim = new RecordingTrim(4 * MiB, discard);
    trim.advance(10 * MiB);
    trim.advance(20 * MiB); // the first is still running
    expect(asked).toEqual([6 * MiB]);
    pending[0]!.resolve();
    await settled();
    trim.advance(13 * MiB); // only 3 MiB more could go
    expect(asked).toEqual([6 * MiB]);
    trim.advance(14 * MiB);
    expect(asked).toEqual([6 * MiB, 10 * MiB]);
  });

  it("asks again later when the recording cannot be reached now", () => {
    const calls: number[] = [];
    let reachable = false;
    const trim = new RecordingTrim(MiB, (before) => {
      calls.push(before);
      return reachable ? Promise.resolve() : null;
    });
    trim.advance(3 * MiB);
    expect(trim.discardedBefore).toBe(0); // nothing was discarded: all of it may still be read
    reachable = true;
    trim.advance(3 * MiB);
    expect(calls).toEqual([2 * MiB, 2 * MiB]);
    expect(trim.discardedBefore).toBe(2 * MiB);
  });

  it("stops asking once the sandbox cannot discard", async () => {
    const { asked, pending, discard } = manualDiscard();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const trim = new RecordingTrim(MiB, discard);
    trim.advance(2 * MiB);
    pending[0]!.reject(new Error("fallocate: Operation not supported"));
    await settled();
    trim.advance(10 * MiB);
    expect(asked).toEqual([MiB]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
