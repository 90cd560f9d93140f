// Keeps the tail of the output log in Durable Object storage, so a restarted room still serves it and its offsets go on.
import { concatBytes } from "./bytes";
import { OutputLog } from "./output-log";

/** Pending output is written once it reaches this size, in bytes (storage values must stay under 2 MB). */
export const ARCHIVE_CHUNK_BYTES = 256 * 1024;
/** …or after this long, in milliseconds: at most this much output is lost if the room is torn down. */
export const ARCHIVE_FLUSH_MS = 250;
const KEY_PREFIX = "out:";
/** Offsets in keys are zero-padded so that storage lists them in stream order. */
const OFFSET_DIGITS = 16;

/** The storage calls the archive needs (a Durable Object's storage has them). */
export interface ArchiveStorage {
  put(entries: Record<string, Uint8Array>): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
}

export class OutputArchive {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #pendingOffset = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Archived chunks in stream order, to drop the oldest beyond the bound. */
  #chunks: Array<{ key: string; bytes: number }> = [];
  #archivedBytes = 0;

  private constructor(
    private readonly storage: ArchiveStorage,
    private readonly maxBytes: number,
  ) {}

  /** Loads what an earlier instance archived into a new log with the same offsets. */
  static async restore(storage: ArchiveStorage, maxBytes: number): Promise<{ archive: OutputArchive; log: OutputLog }> {
    const archive = new OutputArchive(storage, maxBytes);
    const stored = await storage.list<Uint8Array>({ prefix: KEY_PREFIX });
    const chunks = [...stored].map(([key, data]) => ({ key, offset: Number(key.slice(KEY_PREFIX.length)), data }));
    const log = new OutputLog(maxBytes, chunks[0]?.offset ?? 0);
    for (const chunk of chunks) {
      // A gap (a chunk that never got written) cannot be replayed faithfully: start over after it.
      if (chunk.offset !== log.end) log.skipTo(chunk.offset);
      log.append(new Uint8Array(chunk.data));
      archive.#chunks.push({ key: chunk.key, bytes: chunk.data.byteLength });
      archive.#archivedBytes += chunk.data.byteLength;
    }
    archive.#pendingOffset = log.end;
    return { archive, log };
  }

  /** Queues bytes that start at `offset` (always the end of what was queued before). */
  append(offset: number, data: Uint8Array): void {
    if (this.#pendingBytes === 0) this.#pendingOffset = offset;
    this.#pending.push(data);
    this.#pendingBytes += data.byteLength;
    if (this.#pendingBytes >= ARCHIVE_CHUNK_BYTES) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), ARCHIVE_FLUSH_MS);
  }

  /** Writes what is pending; resolves when every write so far has landed. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingBytes > 0) {
      const data = concatBytes(this.#pending, this.#pendingBytes);
      const key = KEY_PREFIX + String(this.#pendingOffset).padStart(OFFSET_DIGITS, "0");
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#chunks.push({ key, bytes: data.byteLength });
      this.#archivedBytes += data.byteLength;
      const expired = this.#expire();
      this.#writing = this.#writing
        .then(async () => {
          await this.storage.put({ [key]: data });
          if (expired.length > 0) await this.storage.delete(expired);
        })
        .catch((error: unknown) => console.warn("archive.write", { error: String(error) }));
    }
    return this.#writing;
  }

  /** Drops the oldest archived chunks while the rest still covers the bound. */
  #expire(): string[] {
    const expired: string[] = [];
    while (this.#chunks.length > 1 && this.#archivedBytes - this.#chunks[0]!.bytes >= this.maxBytes) {
      const oldest = this.#chunks.shift()!;
      this.#archivedBytes -= oldest.bytes;
      expired.push(oldest.key);
    }
    return expired;
  }
}
