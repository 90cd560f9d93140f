// The session's output on its way to the browsers: kept (the log, the screen at its start, their tail in storage)
// and delivered to every client exactly once, in order (replay from `since`, flow control, resets).
import { encodeMessage, encodeOutput, Limits, type ServerMessage } from "../parsers/protocol";
import { type ArchiveStorage, OutputArchive } from "./output-archive";
import { OutputBatcher } from "./output-batcher";
import { OutputFlows } from "./output-flow";
import type { OutputLog } from "./output-log";
import type { ScreenCheckpoint } from "./screen-checkpoint";

/** How often `whenClientsHaveRoom` looks again without an acknowledgement, in milliseconds. */
const ROOM_RECHECK_MS = 250;
/** Largest output frame sent when replaying the log to a client. */
const REPLAY_FRAME_BYTES = 256 * 1024;
/**
 * Bytes of the log's oldest output that a piece read from the recording must reproduce before it is spliced in
 * front of the log: a recording that no longer lines up with the stream is never sent.
 */
const SPLICE_CHECK_BYTES = 1024;

/**
 * Output the log no longer holds, `from` to `to`, as the sandbox's recording kept it; null when there is none to ask
 * (no PTY link, or no recording). May reject, or resolve with fewer bytes, when the recording cannot supply them.
 */
export type ReadRecorded = (from: number, to: number) => Promise<Uint8Array> | null;

/** What the stream needs of a client's socket. */
export interface OutputClient {
  readonly id: string;
  send(frame: string | Uint8Array): void;
}

export class OutputStream {
  /** Output on its way to every client, joined into fewer frames while it streams. */
  readonly #outbox = new OutputBatcher((offset, chunks, byteLength) => this.#sendLive(offset, chunks, byteLength));
  /**
   * A client a window behind resumes from the log once it acknowledges; with the window at most half the log, the
   * log still holds its place unless the output ran on by another half meanwhile.
   */
  readonly #flows: OutputFlows;
  /** Clients whose replay has not been sent yet: live output skips them (the replay will cover it). */
  readonly #holding = new Set<string>();
  /** Reads of the recording under way, for clients the log moved past: bytes `from` to `to`, null when unusable. */
  readonly #recordingReads: { from: number; to: number; bytes: Promise<Uint8Array | null> }[] = [];
  /** Callers of `whenClientsHaveRoom` waiting for the next acknowledgement. */
  readonly #roomWaiters = new Set<() => void>();

  private constructor(
    private readonly log: OutputLog,
    private readonly checkpoint: ScreenCheckpoint,
    private readonly archive: OutputArchive,
    private readonly clients: () => Iterable<OutputClient>,
    private readonly readRecorded: ReadRecorded,
  ) {
    this.#flows = new OutputFlows(Math.min(Limits.maxUnackedBytes, Math.floor(log.maxBytes / 2)));
  }

  /** Loads what an earlier instance of the room kept; `clients` lists the sockets to deliver to. */
  static async restore(
    storage: ArchiveStorage,
    options: {
      maxBytes: number;
      size: { cols: number; rows: number };
      clients: () => Iterable<OutputClient>;
      /** Where a client the log has moved past is caught up from (at most one log's worth before the log). */
      readRecorded?: ReadRecorded;
    },
  ): Promise<OutputStream> {
    const { log, checkpoint, archive } = await OutputArchive.restore(storage, options.maxBytes, options.size);
    return new OutputStream(log, checkpoint, archive, options.clients, options.readRecorded ?? (() => null));
  }

  /** Offset one past the last byte the session produced. */
  get end(): number {
    return this.log.end;
  }

  /** How much output the log keeps, in bytes. */
  get maxBytes(): number {
    return this.log.maxBytes;
  }

  /** New PTY output: logged, sent to every client (joined with what follows while it streams), and archived. */
  append(data: Uint8Array): number {
    const offset = this.log.append(data);
    this.#outbox.add(offset, data); // a keystroke's echo leaves before any bookkeeping
    this.archive.append(offset, data);
    return offset;
  }

  /** The PTY took a new size here in the stream. */
  resized(cols: number, rows: number): void {
    this.checkpoint.resizeAt(this.log.end, cols, rows);
  }

  /**
   * A client joins: it gets the log from `since` (or a `reset` with the screen first, when `since` is gone or the
   * client is new and the log no longer starts at 0), then live output.
   */
  join(client: OutputClient, since: number | null): void {
    this.#flushExcept(client);
    this.#replay(client, since);
  }

  /** A client to join later (`joinHeld`): until then live output skips it. */
  hold(client: OutputClient): void {
    this.#flushExcept(client);
    this.#holding.add(client.id);
  }

  /** Joins a held client, unless it left meanwhile. Returns whether it did. */
  joinHeld(client: OutputClient, since: number | null): boolean {
    if (!this.#holding.has(client.id)) return false;
    this.#flushExcept(client);
    this.#holding.delete(client.id);
    this.#replay(client, since);
    return true;
  }

  /** A client's acknowledgement; a client that had fallen a window behind resumes where it stopped. */
  acknowledge(client: OutputClient, offset: number): void {
    const resumeFrom = this.#flows.acknowledge(client.id, offset);
    if (resumeFrom !== null) {
      this.#flushExcept(client);
      this.#replay(client, resumeFrom);
    }
    this.#wakeRoomWaiters();
  }

  /**
   * Resolves once every client is within half a window of what was sent, or after `timeoutMs` (a stalled client
   * does not hold up the rest). Output the room can pace (a read-back) waits for it, so that no client falls so far
   * behind that the log moves past it.
   */
  async whenClientsHaveRoom(timeoutMs: number): Promise<void> {
    this.#outbox.flush();
    const deadline = Date.now() + timeoutMs;
    // Checked again on every acknowledgement, and every so often: a client may stall meanwhile.
    while (!this.#flows.allHaveRoom() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const waiters = this.#roomWaiters;
        const timer = setTimeout(wake, Math.min(ROOM_RECHECK_MS, deadline - Date.now()));
        function wake(): void {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  }

  left(clientId: string): void {
    this.#flows.closed(clientId);
    this.#holding.delete(clientId);
    this.#wakeRoomWaiters();
  }

  #wakeRoomWaiters(): void {
    for (const wake of this.#roomWaiters) wake();
  }

  /**
   * Output before `offset` was lost (more than the log holds went by while the PTY link was down): the log goes on
   * there, and every client gets a reset there, with a blank screen.
   */
  skipTo(offset: number): void {
    this.#outbox.flush();
    void this.archive.flush();
    this.log.skipTo(offset);
    this.checkpoint.skip(offset);
    const reset = this.#reset();
    for (const client of this.clients()) {
      if (this.#holding.has(client.id)) continue;
      send(client, reset);
      this.#flows.opened(client.id, offset, offset);
    }
  }

  /** Sends what waits and stores what is pending (before the room may be torn down). */
  async flush(): Promise<void> {
    this.#outbox.flush();
    await this.archive.flush();
  }

  dispose(): void {
    this.checkpoint.dispose();
  }

  /**
   * Sends a client the output from `since` on: from the log, or, when the log has moved past `since` by at most its
   * own size, first from the sandbox's recording (the client is held meanwhile); otherwise a reset.
   */
  #replay(client: OutputClient, since: number | null): void {
    if (since !== null && since < this.log.start && this.log.start - since <= this.log.maxBytes) {
      const first = this.#readFromRecording(since);
      if (first) {
        this.#holding.add(client.id);
        void this.#catchUp(client, since, first);
        return;
      }
    }
    this.#replayFromLog(client, since);
  }

  /**
   * Starts reading the recording from `since` to the log's start and a little past it; resolves with what the
   * client is sent, or null when the recording cannot supply it or does not reproduce the log's oldest bytes.
   */
  #readFromRecording(since: number): Promise<Uint8Array | null> | null {
    // Clients that stopped at the same place (they fell behind together) share one read.
    const shared = this.#recordingReads.find((read) => read.from <= since && since < read.to);
    if (shared) return shared.bytes.then((bytes) => bytes && bytes.subarray(since - shared.from));
    const to = this.log.start;
    const check = this.log.joined(to, SPLICE_CHECK_BYTES).next().value?.data.slice(0, SPLICE_CHECK_BYTES);
    if (!check) return null; // an empty log (right after a skip) has nothing to check the recording against
    const reading = this.readRecorded(since, to + check.byteLength);
    if (!reading) return null;
    const read = {
      from: since,
      to,
      bytes: reading.then(
        (bytes) => (bytes.byteLength === to - since + check.byteLength && sameBytes(bytes.subarray(to - since), check) ? bytes.subarray(0, to - since) : null),
        () => null,
      ),
    };
    this.#recordingReads.push(read);
    void read.bytes.then(() => this.#recordingReads.splice(this.#recordingReads.indexOf(read), 1));
    return read.bytes;
  }

  /**
   * Sends a held client what the recording holds from `since`, then the log. While a piece was read the log may have
   * moved on again: the next piece starts where this one ended. The client gets a reset instead when the recording
   * fails it, or when it has fallen more than the log's size behind.
   */
  async #catchUp(client: OutputClient, since: number, first: Promise<Uint8Array | null>): Promise<void> {
    let from = since;
    let reading: Promise<Uint8Array | null> | null = first;
    this.#flows.opened(client.id, since, since);
    for (;;) {
      const bytes = reading && (await reading);
      if (!this.#holding.has(client.id)) return; // it left meanwhile
      if (!bytes) break;
      try {
        if (!(await this.#sendRecorded(client, from, bytes))) return;
      } catch {
        return; // the socket is closing; the room's close handler calls `left`
      }
      from += bytes.byteLength;
      if (this.log.has(from)) break;
      reading = this.log.start - from <= this.log.maxBytes ? this.#readFromRecording(from) : null;
    }
    this.#flushExcept(client);
    this.#holding.delete(client.id);
    this.#replayFromLog(client, from, from - this.#flows.unacked(client.id));
  }

  /**
   * Sends a held client bytes read from the recording, starting at stream offset `from`, at most a window ahead of
   * its acknowledgements, as the log's replay does. False when the client left meanwhile.
   */
  async #sendRecorded(client: OutputClient, from: number, bytes: Uint8Array): Promise<boolean> {
    for (let at = 0; at < bytes.byteLength; at += REPLAY_FRAME_BYTES) {
      const frame = bytes.subarray(at, at + REPLAY_FRAME_BYTES);
      while (!this.#flows.hasRoomFor(client.id, frame.byteLength)) {
        await this.#nextAcknowledgement();
        if (!this.#holding.has(client.id)) return false;
      }
      client.send(encodeOutput(from + at, frame));
      this.#flows.sent(client.id, from + at + frame.byteLength);
    }
    return true;
  }

  /** Resolves at the next acknowledgement from any client, or when a client leaves. */
  #nextAcknowledgement(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#roomWaiters.delete(wake);
        resolve();
      };
      this.#roomWaiters.add(wake);
    });
  }

  /**
   * Sends a client the log from `since` (a reset first when the log no longer holds it), a window beyond `acked` (by
   * default `since`: nothing before it is outstanding), and the rest as the client acknowledges.
   */
  #replayFromLog(client: OutputClient, since: number | null, acked?: number): void {
    let from = since;
    if (from === null || !this.log.has(from)) {
      from = this.log.start;
      acked = undefined;
      if (since !== null || from > 0) send(client, this.#reset());
    }
    // A window at a time, as live output: the rest follows as the client acknowledges (a socket's queue, held in
    // the room, stays bounded however much the log holds).
    const windowEnd = (acked ?? from) + this.#flows.windowBytes;
    let sentTo = from;
    try {
      for (const chunk of this.log.joined(from, REPLAY_FRAME_BYTES)) {
        if (chunk.offset >= windowEnd) break;
        client.send(encodeOutput(chunk.offset, chunk.data));
        sentTo = chunk.offset + chunk.data.byteLength;
      }
    } catch {
      return; // the socket is closing; the room's close handler calls `left`
    }
    this.#flows.opened(client.id, acked ?? from, sentTo, sentTo < this.log.end);
  }

  #reset(): ServerMessage {
    const saved = this.checkpoint.save();
    return { type: "reset", offset: saved.offset, screen: saved.screen, cols: saved.cols, rows: saved.rows };
  }

  /** Sends what waits in the outbox to everyone but `client`: the replay it gets next covers those bytes. */
  #flushExcept(client: OutputClient): void {
    const held = this.#holding.has(client.id);
    this.#holding.add(client.id);
    this.#outbox.flush();
    if (!held) this.#holding.delete(client.id);
  }

  /** Live output to every client that is not held or a window behind. */
  #sendLive(offset: number, chunks: readonly Uint8Array[], byteLength: number): void {
    const frame = encodeOutput(offset, chunks);
    const end = offset + byteLength;
    for (const client of this.clients()) {
      if (this.#holding.has(client.id) || !this.#flows.admit(client.id, offset, end)) continue;
      try {
        client.send(frame);
      } catch {
        // The socket is closing; the room's close handler calls `left`.
      }
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function send(client: OutputClient, message: ServerMessage): void {
  try {
    client.send(encodeMessage(message));
  } catch {
    // The socket is closing.
  }
}
