// Durable Object storage as the output archive uses it, in memory, for tests that run in Node.
import { expect } from "vitest";
import type { ArchiveStorage } from "../../worker/output-archive";
import type { SavedScreen } from "../../worker/screen-checkpoint";

/** Storage with the semantics the archive relies on: keys listed in lexical order, values copied. */
export class MemoryStorage implements ArchiveStorage {
  readonly values = new Map<string, Uint8Array | SavedScreen>();
  /** Output bytes ever written. */
  written = 0;
  async put(entries: Record<string, Uint8Array | SavedScreen>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) {
      // Durable Object storage serializes a view's whole buffer: a value must be its own array.
      if (value instanceof Uint8Array) expect(value.buffer.byteLength).toBe(value.byteLength);
      this.values.set(key, structuredClone(value));
      if (value instanceof Uint8Array) this.written += value.byteLength;
    }
  }
  async get<T>(key: string): Promise<T | undefined> {
    return this.values.get(key) as T | undefined;
  }
  async delete(keys: string[]): Promise<number> {
    return keys.filter((key) => this.values.delete(key)).length;
  }
  async list<T>(options: { prefix: string }): Promise<Map<string, T>> {
    const keys = [...this.values.keys()].filter((key) => key.startsWith(options.prefix)).sort();
    return new Map(keys.map((key) => [key, this.values.get(key) as T]));
  }
}
