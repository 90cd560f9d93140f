// The screen at the log's start: drawn when output pauses, exact when read, blank after a flood it could not keep up with.
import { describe, expect, it } from "vitest";
import { ScreenCheckpoint } from "./screen-checkpoint";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe("ScreenCheckpoint", () => {
  it("draws in the background once output pauses, and reads back exactly", async () => {
    const checkpoint = new ScreenCheckpoint({ cols: 20, rows: 4 });
    checkpoint.advance(0, bytes("\x1b[1mbold\x1b[0m line\r\n"));
    expect(checkpoint.pending).toBe(true);
    expect(checkpoint.offset).toBe(19);
    let drawn = false;
    checkpoint.onDrawn = () => (drawn = true);
    while (!drawn) await pause(5);
    expect(checkpoint.pending).toBe(false);
    const saved = checkpoint.save();
    expect(saved).toMatchObject({ offset: 19, cols: 20, rows: 4 });
    expect(saved.screen).toContain("\x1b[1mbold");

    // The serialized screen, drawn into a new checkpoint, serializes the same.
    expect(ScreenCheckpoint.restore(saved).save()).toEqual(saved);
  });

  it("applies a resize where it happened in the stream", () => {
    const checkpoint = new ScreenCheckpoint({ cols: 20, rows: 4 });
    checkpoint.advance(0, bytes("a".repeat(30)));
    checkpoint.resizeAt(10, 40, 4); // after the first ten bytes
    checkpoint.advance(30, bytes("b"));
    const saved = checkpoint.save();
    expect(saved.cols).toBe(40);
    expect(saved.screen).toContain("a".repeat(30) + "b"); // one row at 40 columns, unwrapped
  });

  it("keeps only a flood's newest bytes, and starts over blank before them", () => {
    const checkpoint = new ScreenCheckpoint({ cols: 20, rows: 4 });
    checkpoint.advance(0, bytes("\x1b[31mred\r\n"));
    let offset = 9;
    for (let i = 0; i < 40; i++) {
      const flood = bytes(`${i}\r\n`.repeat(10_000));
      checkpoint.advance(offset, flood);
      offset += flood.byteLength;
    }
    const saved = checkpoint.save();
    expect(saved.offset).toBe(offset);
    expect(saved.screen).not.toContain("\x1b[31m"); // the colour was set before the part it dropped
    expect(saved.screen).toContain("39");
  });

  it("starts over blank where output was skipped", () => {
    const checkpoint = new ScreenCheckpoint({ cols: 20, rows: 4 });
    checkpoint.advance(0, bytes("before"));
    checkpoint.skip(100);
    checkpoint.advance(100, bytes("after"));
    const saved = checkpoint.save();
    expect(saved.offset).toBe(105);
    expect(saved.screen).toBe("after");
  });
});
