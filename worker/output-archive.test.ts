// The output tail in storage: flushed in bounded chunks, restored with the same offsets, old chunks dropped.
import { describe, expect, it } from "vitest";
import { ARCHIVE_CHUNK_BYTES, type ArchiveStorage, OutputArchive } from "./output-archive";

/** Storage with the semantics the archive relies on: keys listed in lexical order, values copied. */
class MemoryStorage implements ArchiveStorage {
  readonly values = new Map<string, Uint8Array>();
  async put(entries: Record<string, Uint8Array>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) this.values.set(key, value.slice());
  }
  async delete(keys: string[]): Promise<number> {
    return keys.filter((key) => this.values.delete(key)).length;
  }
  async list<T>(options: { prefix: string }): Promise<Map<string, T>> {
    const keys = [...this.values.keys()].filter((key) => key.startsWith(options.prefix)).sort();
    return new Map(keys.map((key) => [key, this.values.get(key) as T]));
  }
}

const text = (log: { since(offset: number): Iterable<{ data: Uint8Array }> }, from = 0): string =>
  [...log.since(from)].map((chunk) => new TextDecoder().decode(chunk.data)).join("");

describe("OutputArchive", () => {
  it("restores what was flushed, at the same offsets", async () => {
    const storage = new MemoryStorage();
    const first = await OutputArchive.restore(storage, 1024 * 1024);
    for (const piece of ["hello ", "world"]) first.archive.append(first.log.append(new TextEncoder().encode(piece)), new TextEncoder().encode(piece));
    await first.archive.flush();

    const second = await OutputArchive.restore(storage, 1024 * 1024);
    expect(second.log.start).toBe(0);
    expect(second.log.end).toBe(11);
    expect(text(second.log)).toBe("hello world");
    second.archive.append(second.log.append(new TextEncoder().encode("!")), new TextEncoder().encode("!"));
    await second.archive.flush();
    expect(text((await OutputArchive.restore(storage, 1024 * 1024)).log)).toBe("hello world!");
  });

  it("writes chunks no larger than the chunk size once they fill, and keeps only about the bound", async () => {
    const storage = new MemoryStorage();
    const bound = 4 * ARCHIVE_CHUNK_BYTES;
    const { archive, log } = await OutputArchive.restore(storage, bound);
    const piece = new Uint8Array(64 * 1024).fill(0x61);
    for (let i = 0; i < 64; i++) archive.append(log.append(piece), piece);
    await archive.flush();
    for (const value of storage.values.values()) expect(value.byteLength).toBeLessThanOrEqual(ARCHIVE_CHUNK_BYTES);
    const stored = [...storage.values.values()].reduce((sum, value) => sum + value.byteLength, 0);
    expect(stored).toBeGreaterThanOrEqual(bound);
    expect(stored).toBeLessThan(bound + ARCHIVE_CHUNK_BYTES);

    const restored = await OutputArchive.restore(storage, bound);
    expect(restored.log.end).toBe(64 * 64 * 1024);
    expect(restored.log.end - restored.log.start).toBe(bound);
  });

  it("continues after a gap instead of splicing unrelated bytes", async () => {
    const storage = new MemoryStorage();
    await storage.put({ ["out:" + "0".padStart(16, "0")]: new TextEncoder().encode("abc") });
    await storage.put({ ["out:" + "10".padStart(16, "0")]: new TextEncoder().encode("xyz") });
    const { log } = await OutputArchive.restore(storage, 1024 * 1024);
    expect(log.start).toBe(10);
    expect(log.end).toBe(13);
    expect(text(log, 10)).toBe("xyz");
  });
});
