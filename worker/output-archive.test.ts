// The output tail in storage: flushed in bounded chunks, restored with the same offsets, old chunks dropped.
import { describe, expect, it } from "vitest";
import { ARCHIVE_CHUNK_BYTES, OutputArchive } from "./output-archive";
import type { OutputLog } from "./output-log";
import { type SavedScreen, ScreenCheckpoint } from "./screen-checkpoint";
import { MemoryStorage } from "../test/support/memory-storage";

const SIZE = { cols: 40, rows: 5 };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (log: { since(offset: number): Iterable<{ data: Uint8Array }> }, from = 0): string =>
  [...log.since(from)].map((chunk) => new TextDecoder().decode(chunk.data)).join("");

describe("OutputArchive", () => {
  it("restores what was flushed, at the same offsets", async () => {
    const storage = new MemoryStorage();
    const first = await OutputArchive.restore(storage, 1024 * 1024, SIZE);
    for (const piece of ["hello ", "world"]) first.archive.append(first.log.append(new TextEncoder().encode(piece)), new TextEncoder().encode(piece));
    await first.archive.flush();

    const second = await OutputArchive.restore(storage, 1024 * 1024, SIZE);
    expect(second.log.start).toBe(0);
    expect(second.log.end).toBe(11);
    expect(text(second.log)).toBe("hello world");
    second.archive.append(second.log.append(new TextEncoder().encode("!")), new TextEncoder().encode("!"));
    await second.archive.flush();
    expect(text((await OutputArchive.restore(storage, 1024 * 1024, SIZE)).log)).toBe("hello world!");
  });

  it("writes chunks no larger than the chunk size once they fill, and keeps only about the bound", async () => {
    const storage = new MemoryStorage();
    const bound = 4 * ARCHIVE_CHUNK_BYTES;
    const { archive, log } = await OutputArchive.restore(storage, bound, SIZE);
    const piece = new Uint8Array(64 * 1024).fill(0x61);
    for (let i = 0; i < 64; i++) archive.append(log.append(piece), piece);
    await archive.flush();
    const chunks = [...storage.values].filter(([key]) => key.startsWith("out:")).map(([, value]) => value as Uint8Array);
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(ARCHIVE_CHUNK_BYTES);
    const stored = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    expect(stored).toBeGreaterThanOrEqual(bound);
    expect(stored).toBeLessThan(bound + ARCHIVE_CHUNK_BYTES);

    const restored = await OutputArchive.restore(storage, bound, SIZE);
    expect(restored.log.end).toBe(64 * 64 * 1024);
    expect(restored.log.end - restored.log.start).toBe(bound);
  });

  it("does not write a flood's bytes that the log let go of before they were stored", async () => {
    const storage = new MemoryStorage();
    const bound = 4 * ARCHIVE_CHUNK_BYTES;
    const { archive, log } = await OutputArchive.restore(storage, bound, SIZE);
    const piece = new Uint8Array(64 * 1024).fill(0x62);
    await archive.flush();
    for (let i = 0; i < 160; i++) archive.append(log.append(piece), piece); // ten bounds within one flush period
    await archive.flush();
    expect(storage.written).toBeLessThan(bound + 64 * 1024);
    const restored = await OutputArchive.restore(storage, bound, SIZE);
    expect(restored.log.end).toBe(160 * 64 * 1024);
    expect(text(restored.log, restored.log.start)).toBe("b".repeat(restored.log.end - restored.log.start));
  });

  it("continues after a gap instead of splicing unrelated bytes", async () => {
    const storage = new MemoryStorage();
    await storage.put({ ["out:" + "0".padStart(16, "0")]: new TextEncoder().encode("abc") });
    await storage.put({ ["out:" + "10".padStart(16, "0")]: new TextEncoder().encode("xyz") });
    const { log } = await OutputArchive.restore(storage, 1024 * 1024, SIZE);
    expect(log.start).toBe(10);
    expect(log.end).toBe(13);
    expect(text(log, 10)).toBe("xyz");
  });

  it("restores the screen at the log's start, so output evicted before a restart still draws", async () => {
    const storage = new MemoryStorage();
    const bound = 1024 * 1024;
    const first = await OutputArchive.restore(storage, bound, SIZE);
    const everything = new ScreenCheckpoint(SIZE);
    const write = (data: Uint8Array): void => {
      everything.advance(first.log.end, data);
      everything.save(); // drawn at once: the reference never falls behind
      first.archive.append(first.log.append(data), data);
    };
    // Red from here on: only the evicted first bytes say so.
    write(bytes("\x1b[31mtitle\r\n"));
    for (let i = 0; i < 48; i++) write(bytes(`${"y".repeat(30)}\r\n`.repeat(1024)));
    await first.archive.flush();
    expect(first.log.start).toBeGreaterThan(0);
    expect(first.checkpoint.offset).toBe(first.log.start);
    // While output streams the checkpoint waits; once drawn, the archive stores the real screen.
    while (first.checkpoint.pending) await new Promise((done) => setTimeout(done, 10));
    await first.archive.flush();

    const second = await OutputArchive.restore(storage, bound, SIZE);
    expect(second.log.end).toBe(first.log.end);
    expect(second.checkpoint.offset).toBe(second.log.start);
    const original = everything.save().screen;
    expect(original).toContain("\x1b[31m");
    expect(render(second.checkpoint.save(), second.log)).toBe(original);
    // Without the checkpoint, the log alone draws another screen.
    expect(render({ ...SIZE, offset: second.log.start, screen: "" }, second.log)).not.toBe(original);
  });
});

/** The screen a client draws after a reset: the checkpoint, then everything the log holds. */
function render(saved: SavedScreen, log: OutputLog): string {
  const screen = ScreenCheckpoint.restore(saved);
  for (const chunk of log.since(log.start)) screen.advance(chunk.offset, chunk.data);
  return screen.save().screen;
}
