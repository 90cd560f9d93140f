// Keeps the tail of the output log in Durable Object storage, with the screen at its start, so a restarted room
// still serves it and its offsets go on.
import { concatBytes } from "./bytes";
import { OutputLog } from "./output-log";
import { type SavedScreen, ScreenCheckpoint } from "./screen-checkpoint";

/** Pending output is written once it reaches this size, in bytes (storage values must stay under 2 MB). */
export const ARCHIVE_CHUNK_BYTES = 256 * 1024;
/** …or after this long, in milliseconds: at most this much output is lost if the room is torn down. */
export const ARCHIVE_FLUSH_MS = 250;
const KEY_PREFIX = "out:";
/** The screen at the start of the archived output (a serialized checkpoint). */
const SCREEN_KEY = "screen";
/** Offsets in keys are zero-padded so that storage lists them in stream order. */
const OFFSET_DIGITS = 16;

/** The storage calls the archive needs (a Durable Object's storage has them). */
export interface ArchiveStorage {
  put(entries: Record<string, Uint8Array | SavedScreen>): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  delete(keys: string[]): Promise<number>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
}

/** What a room restores: the log, the screen at its start, and the archive that keeps both. */
export interface RestoredOutput {
  archive: OutputArchive;
  log: OutputLog;
  checkpoint: ScreenCheckpoint;
}

export class OutputArchive {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #pendingOffset = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Archived chunks in stream order, to drop those the checkpoint has passed. */
  #chunks: Array<{ key: string; offset: number; bytes: number }> = [];
  /** The stored screen is a blank stand-in (stored while the checkpoint was behind); store the real one when drawn. */
  #screenStale = false;

  private constructor(
    private readonly storage: ArchiveStorage,
    private readonly checkpoint: ScreenCheckpoint,
  ) {
    checkpoint.onDrawn = () => {
      if (!this.#screenStale) return;
      this.#screenStale = false;
      this.#write({ [SCREEN_KEY]: checkpoint.save() }, []);
    };
  }

  /**
   * Loads what an earlier instance archived: a log with the same offsets, starting at the stored screen. The log
   * hands every byte it lets go of to the checkpoint, so the checkpoint always shows the screen at the log's start.
   */
  static async restore(
    storage: ArchiveStorage,
    maxBytes: number,
    size: { cols: number; rows: number },
  ): Promise<RestoredOutput> {
    const stored = await storage.list<Uint8Array>({ prefix: KEY_PREFIX });
    const chunks = [...stored].map(([key, data]) => ({ key, offset: Number(key.slice(KEY_PREFIX.length)), data }));
    const saved = await storage.get<SavedScreen>(SCREEN_KEY);
    const checkpoint =
      saved && chunks.length > 0 && saved.offset >= chunks[0]!.offset
        ? ScreenCheckpoint.restore(saved)
        : new ScreenCheckpoint(size, chunks[0]?.offset ?? 0);
    const archive = new OutputArchive(storage, checkpoint);
    const log = new OutputLog(maxBytes, checkpoint.offset, (offset, data) => checkpoint.advance(offset, data));
    for (const chunk of chunks) {
      archive.#chunks.push({ key: chunk.key, offset: chunk.offset, bytes: chunk.data.byteLength });
      const data = new Uint8Array(chunk.data);
      const skip = log.end - chunk.offset; // bytes the checkpoint already drew
      if (skip >= data.byteLength) continue;
      // A gap (a chunk that never got written) cannot be replayed faithfully: start over after it.
      if (skip < 0) log.skipTo(chunk.offset);
      log.append(skip > 0 ? data.subarray(skip) : data);
    }
    archive.#pendingOffset = log.end;
    return { archive, log, checkpoint };
  }

  /** Queues bytes that start at `offset` (always the end of what was queued before). */
  append(offset: number, data: Uint8Array): void {
    if (this.#pendingBytes === 0) this.#pendingOffset = offset;
    this.#pending.push(data);
    this.#pendingBytes += data.byteLength;
    if (this.#pendingBytes >= ARCHIVE_CHUNK_BYTES) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), ARCHIVE_FLUSH_MS);
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
      this.#chunks.push({ key, offset: this.#pendingOffset, bytes: data.byteLength });
      const entries: Record<string, Uint8Array | SavedScreen> = { [key]: data };
      const expired = this.#expire();
      // The screen is stored with the chunk, in one write, before the chunks it replaces are deleted.
      if (expired.length > 0) {
        entries[SCREEN_KEY] = this.checkpoint.saveCheaply();
        this.#screenStale = this.checkpoint.pending;
      }
      this.#write(entries, expired);
    }
    return this.#writing;
  }

  #write(entries: Record<string, Uint8Array | SavedScreen>, expired: string[]): void {
    this.#writing = this.#writing
      .then(async () => {
        await this.storage.put(entries);
        if (expired.length > 0) await this.storage.delete(expired);
      })
      .catch((error: unknown) => console.warn("archive.write", { error: String(error) }));
  }

  /** Drops the oldest archived chunks that end where the checkpoint has already drawn. */
  #expire(): string[] {
    const expired: string[] = [];
    while (this.#chunks.length > 1 && this.#chunks[0]!.offset + this.#chunks[0]!.bytes <= this.checkpoint.offset) {
      expired.push(this.#chunks.shift()!.key);
    }
    return expired;
  }
}
