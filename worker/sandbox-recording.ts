// The byte-exact output log kept inside the sandbox: the PTY's command runs under `script`, which copies every byte
// it prints to a file. Output produced while no room was attached is read back from there on re-attach.
import { concatBytes } from "./bytes";

/** Where the recording lives, relative to the sandbox user's home. */
export const RECORDING_FILE = ".nightona/output.log";
/** Largest piece of the recording read in one command (base64 makes it a third larger on the wire). */
const READ_PIECE_BYTES = 1024 * 1024;
/** The recording's disk space is given back in whole units of this size (a multiple of any file system's block). */
const DISCARD_UNIT_BYTES = 1024 * 1024;
const utf8 = new TextEncoder();

/**
 * Marks where the recording starts in the stream: an OSC sequence no terminal acts on, with a nonce so that
 * output quoting it cannot be mistaken for it. `script` writes a header line before it, in the file only.
 */
export function recordingMarker(nonce: string): Uint8Array {
  return utf8.encode(`\x1b]7777;nightona-recording;${nonce}\x07`);
}

/**
 * The line the login shell runs in a new PTY: `clear` wipes the typed line, then the shell becomes `script`, which
 * prints the marker and runs the command. The leading space keeps the line out of the shell's history.
 */
export function recordedCommandLine(command: string, nonce: string): string {
  const inner = `printf '\\033]7777;nightona-recording;${nonce}\\007'; exec ${command}`;
  return ` clear && mkdir -p ~/.nightona && exec script -qfe -c ${shellQuote(inner)} ~/${RECORDING_FILE}\r`;
}

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The marker comes within this much output of the command line, in bytes; later, the command did not start. */
const MARKER_SEARCH_BYTES = 64 * 1024;

/** Finds the marker in output that arrives in pieces cut anywhere; reports the stream offset just after it. */
export class MarkerScanner {
  #carry: Uint8Array = new Uint8Array(0);
  #carryOffset = 0;
  #scanned = 0;

  constructor(private readonly marker: Uint8Array) {}

  /** The marker did not come in time; scanning further is wasted work. */
  get gaveUp(): boolean {
    return this.#scanned > MARKER_SEARCH_BYTES;
  }

  /** Output starting at `offset`; returns the offset one past the marker once it is seen, otherwise null. */
  scan(offset: number, data: Uint8Array): number | null {
    this.#scanned += data.byteLength;
    const joined = new Uint8Array(this.#carry.byteLength + data.byteLength);
    joined.set(this.#carry);
    joined.set(data, this.#carry.byteLength);
    const base = this.#carry.byteLength > 0 ? this.#carryOffset : offset;
    const at = indexOf(joined, this.marker);
    if (at >= 0) return base + at + this.marker.byteLength;
    const keep = Math.min(joined.byteLength, this.marker.byteLength - 1);
    this.#carry = joined.slice(joined.byteLength - keep);
    this.#carryOffset = base + joined.byteLength - keep;
    return null;
  }
}

/** Where a PTY's recording stands in the stream: stream offset = file offset + `base`. */
export interface RecordingPlace {
  nonce: string;
  base: number;
  /** Stream offset of the first recorded byte (after the marker); absent in places stored by older rooms. */
  start?: number;
}

/** The commands the recording needs from the sandbox (the SDK's `sandbox.process`). */
export interface SandboxExec {
  executeCommand(command: string): Promise<{ exitCode: number; result: string }>;
}

export class SandboxRecording {
  constructor(private readonly sandbox: SandboxExec) {}

  /** Bytes the recording holds now. */
  async size(): Promise<number> {
    const output = await this.#run(`stat -c %s ~/${RECORDING_FILE}`);
    const size = Number(output.trim());
    if (!Number.isSafeInteger(size)) throw new Error(`unexpected recording size ${JSON.stringify(output.slice(0, 40))}`);
    return size;
  }

  /** The file offset one past the marker with this nonce (it sits right after `script`'s header line). */
  async markerEnd(nonce: string): Promise<number | null> {
    const head = await this.read(0, 4096);
    const marker = recordingMarker(nonce);
    const at = indexOf(head, marker);
    return at < 0 ? null : at + marker.byteLength;
  }

  /**
   * Gives the disk space of the file's bytes before `fileOffset` back, in whole MiB: `script` appends forever, and a
   * punched hole keeps every later byte at its offset (it reads as zeros), so the recording's place stays valid.
   */
  async discardBefore(fileOffset: number): Promise<void> {
    const length = Math.floor(fileOffset / DISCARD_UNIT_BYTES) * DISCARD_UNIT_BYTES;
    if (length > 0) await this.#run(`fallocate --punch-hole --offset 0 --length ${length} ~/${RECORDING_FILE}`);
  }

  /** The recording's bytes from `from` to `to` (fewer when the file is shorter), read in pieces. */
  async read(from: number, to: number): Promise<Uint8Array> {
    const pieces: Uint8Array[] = [];
    for (let at = from; at < to; ) {
      const piece = await this.piece(at, to);
      if (piece.byteLength === 0) break; // the file is shorter than asked
      pieces.push(piece);
      at += piece.byteLength;
    }
    return concatBytes(pieces);
  }

  /** One read's worth of the recording from `from`, at most up to `to` (empty past the file's end). */
  async piece(from: number, to: number): Promise<Uint8Array> {
    const length = Math.min(READ_PIECE_BYTES, to - from);
    return fromBase64(await this.#run(`tail -c +${from + 1} ~/${RECORDING_FILE} | head -c ${length} | base64 -w0`));
  }

  async #run(script: string): Promise<string> {
    // Daytona splits the command into words and runs it without a shell; `sh -c` gives the pipes one.
    const response = await this.sandbox.executeCommand(`sh -c ${shellQuote(script)}`);
    if (response.exitCode !== 0) throw new Error(`the recording's command failed (${response.exitCode}): ${response.result.slice(0, 200)}`);
    return response.result;
  }
}

/**
 * Where live output that began while the recording was being read fits in. The live stream's first byte is
 * file offset X with `sizeBefore` ≤ X ≤ `fileEnd`; `tail` holds the file's bytes from `tailFrom` to `fileEnd`.
 * Returns the smallest X whose file bytes agree with the live bytes (when nothing was written meanwhile, that is
 * `fileEnd`), or null when none does.
 */
export function liveStart(tail: Uint8Array, tailFrom: number, sizeBefore: number, live: Uint8Array): number | null {
  const fileEnd = tailFrom + tail.byteLength;
  for (let x = Math.max(sizeBefore, tailFrom); x <= fileEnd; x++) {
    const overlap = Math.min(fileEnd - x, live.byteLength);
    let agrees = true;
    for (let i = 0; i < overlap && agrees; i++) agrees = tail[x - tailFrom + i] === live[i];
    if (agrees) return x;
  }
  return null;
}

export function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.byteLength === 0) return 0;
  const first = needle[0]!;
  for (let at = haystack.indexOf(first); at >= 0 && at + needle.byteLength <= haystack.byteLength; at = haystack.indexOf(first, at + 1)) {
    let i = 1;
    while (i < needle.byteLength && haystack[at + i] === needle[i]) i++;
    if (i === needle.byteLength) return at;
  }
  return -1;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
