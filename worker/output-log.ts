// The session's recent PTY output, addressed by stream offset and bounded in bytes.
import { concatBytes } from "./bytes";

/** Default bound of the in-memory log; a client joining later replays at most this much. */
export const DEFAULT_LOG_BYTES = 8 * 1024 * 1024; // 8 MiB: at 20 MB/s, a client may lag 200 ms and still resume

interface Chunk {
  offset: number;
  data: Uint8Array;
}

export class OutputLog {
  #chunks: (Chunk | undefined)[] = []; // dropped slots are cleared so their bytes can be freed
  #head = 0; // index of the oldest retained chunk; the array is compacted lazily
  #retainedBytes = 0;
  #end: number;

  /** `onEvict` gets the bytes the log lets go of, oldest first, with the offset of their first byte. */
  constructor(
    readonly maxBytes = DEFAULT_LOG_BYTES,
    startOffset = 0,
    private readonly onEvict: (offset: number, data: Uint8Array) => void = () => undefined,
  ) {
    this.#end = startOffset;
  }

  /** Offset one past the last byte ever appended. */
  get end(): number {
    return this.#end;
  }

  /** Offset of the oldest byte still retained (equals `end` when empty). */
  get start(): number {
    return this.#chunks[this.#head]?.offset ?? this.#end;
  }

  /** Appends bytes and returns the offset of their first byte. Keeps a reference: callers must not reuse `data`. */
  append(data: Uint8Array): number {
    const offset = this.#end;
    if (data.byteLength === 0) return offset;
    this.#chunks.push({ offset, data });
    this.#end += data.byteLength;
    this.#retainedBytes += data.byteLength;
    this.#evict();
    return offset;
  }

  /** Forgets everything retained and continues at `offset` (after bytes that were lost). */
  skipTo(offset: number): void {
    for (const chunk of this.since(this.start)) this.onEvict(chunk.offset, chunk.data);
    this.#chunks = [];
    this.#head = 0;
    this.#retainedBytes = 0;
    this.#end = Math.max(offset, this.#end);
  }

  /** Whether every byte from `offset` to the end is still retained. */
  has(offset: number): boolean {
    return offset >= this.start && offset <= this.#end;
  }

  /** The retained bytes from `offset` on, as chunks with their offsets (the first one trimmed to start at `offset`). */
  *since(offset: number): Generator<Chunk> {
    const from = Math.max(offset, this.start);
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!;
      const chunkEnd = chunk.offset + chunk.data.byteLength;
      if (chunkEnd <= from) continue;
      yield chunk.offset >= from ? chunk : { offset: from, data: chunk.data.subarray(from - chunk.offset) };
    }
  }

  /** Like `since`, but joins neighbouring chunks into pieces of up to `maxBytes` (fewer frames on replay). */
  *joined(offset: number, maxBytes: number): Generator<Chunk> {
    let batch: Chunk[] = [];
    let batchBytes = 0;
    const flush = (): Chunk => {
      const joined = { offset: batch[0]!.offset, data: concatBytes(batch.map((chunk) => chunk.data), batchBytes) };
      batch = [];
      batchBytes = 0;
      return joined;
    };
    for (const chunk of this.since(offset)) {
      if (batchBytes > 0 && batchBytes + chunk.data.byteLength > maxBytes) yield flush();
      batch.push(chunk);
      batchBytes += chunk.data.byteLength;
    }
    if (batchBytes > 0) yield flush();
  }

  #evict(): void {
    // Drop whole chunks from the front; only a lone chunk larger than the bound is cut (and copied, to free the rest).
    while (this.#retainedBytes > this.maxBytes) {
      const oldest = this.#chunks[this.#head]!;
      if (this.#head < this.#chunks.length - 1) {
        this.#retainedBytes -= oldest.data.byteLength;
        this.#chunks[this.#head++] = undefined;
        this.onEvict(oldest.offset, oldest.data);
      } else {
        const excess = this.#retainedBytes - this.maxBytes;
        this.onEvict(oldest.offset, oldest.data.subarray(0, excess));
        this.#chunks[this.#head] = { offset: oldest.offset + excess, data: oldest.data.slice(excess) };
        this.#retainedBytes -= excess;
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
