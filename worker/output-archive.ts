// Keeps the tail of the output log in Durable Object storage, with the screen at its start, so a restarted room
// still serves it and its offsets go on.
import { concatBytes } from "./bytes";
import { OutputLog } from "./output-log";
import { type SavedScreen, ScreenCheckpoint } from "./screen-checkpoint";

/** Largest stored value, in bytes (storage values must stay under 2 MB). */
export const ARCHIVE_CHUNK_BYTES = 256 * 1024;
/**
 * Pending output is written this long after it began to wait, in milliseconds. A room torn down meanwhile loses at
 * most this much from its own copy; a running PTY's recording still has it. Writing by time, not by size, lets a
 * flood's bytes that the log has already let go of be dropped before they are ever written.
 */
export const ARCHIVE_FLUSH_MS = 1000;
const KEY_PREFIX = "out:";
/** The screen at the start of the archived output (a serialized checkpoint). */
const SCREEN_KEY = "screen";
/** Offsets in keys are zero-padded so that storage lists them in stream order. */
const OFFSET_DIGITS = 16;

/**
 * Archive writes do not hold back the room's outgoing messages until they are on disk (Durable Objects' output gate):
 * the archive is a best-effort copy, and waiting for each write stalled the relay.
 */
const UNGATED = { allowUnconfirmed: true } as const;

/** The storage calls the archive needs (a Durable Object's storage has them). */
export interface ArchiveStorage {
  put(entries: Record<string, Uint8Array | SavedScreen>, options?: { allowUnconfirmed?: boolean }): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  delete(keys: string[], options?: { allowUnconfirmed?: boolean }): Promise<number>;
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
  /** Pending output lost its oldest bytes (more than the log holds came within one flush): what is stored is stale. */
  #trimmed = false;

  private constructor(
    private readonly storage: ArchiveStorage,
    private readonly checkpoint: ScreenCheckpoint,
    /** The log's bound: more than this is never worth storing. */
    private readonly maxBytes: number,
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
    const archive = new OutputArchive(storage, checkpoint, maxBytes);
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
    if (this.#pendingBytes - this.#pending[0]!.byteLength >= this.maxBytes) this.#trim();
    this.#timer ??= setTimeout(() => void this.flush(), ARCHIVE_FLUSH_MS);
  }

  /** Writes what is pending; resolves when every write so far has landed. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingBytes > 0) {
      const data = concatBytes(this.#pending, this.#pendingBytes);
      const entries: Record<string, Uint8Array | SavedScreen> = {};
      for (let at = 0; at < data.byteLength; at += ARCHIVE_CHUNK_BYTES) {
        const offset = this.#pendingOffset + at;
        const key = KEY_PREFIX + String(offset).padStart(OFFSET_DIGITS, "0");
        // A copy, not a view: storage serializes a view's whole buffer.
        const chunk = data.slice(at, at + ARCHIVE_CHUNK_BYTES);
        entries[key] = chunk;
        this.#chunks.push({ key, offset, bytes: chunk.byteLength });
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      // Chunks stored before dropped bytes are of no use now; others go once the checkpoint has drawn them.
      const trimmed = this.#trimmed;
      this.#trimmed = false;
      const expired = trimmed ? this.#expireAllBut(Object.keys(entries).length) : this.#expire();
      // The screen at the new first chunk is stored with the chunks, in one write, before the chunks it replaces are
      // deleted.
      if (trimmed || expired.length > 0) {
        entries[SCREEN_KEY] = this.checkpoint.saveCheaply();
        this.#screenStale = this.checkpoint.pending;
      }
      this.#write(entries, expired);
    }
    return this.#writing;
  }

  /** Drops the oldest pending bytes beyond the log's bound: the log has let go of them before they were stored. */
  #trim(): void {
    while (this.#pendingBytes - this.#pending[0]!.byteLength >= this.maxBytes) {
      const dropped = this.#pending.shift()!;
      this.#pendingBytes -= dropped.byteLength;
      this.#pendingOffset += dropped.byteLength;
    }
    this.#trimmed = true;
  }

  #write(entries: Record<string, Uint8Array | SavedScreen>, expired: string[]): void {
    this.#writing = this.#writing
      .then(async () => {
        await this.storage.put(entries, UNGATED);
        if (expired.length > 0) await this.storage.delete(expired, UNGATED);
      })
      .catch((error: unknown) => console.warn("archive.write", { error: String(error) }));
  }

  /** Drops all archived chunks but the newest `keep`. */
  #expireAllBut(keep: number): string[] {
    return this.#chunks.splice(0, this.#chunks.length - keep).map((chunk) => chunk.key);
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
