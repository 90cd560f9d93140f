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

/** What the stream needs of a client's socket. */
export interface OutputClient {
  readonly id: string;
  send(frame: string | Uint8Array): void;
}

export class OutputStream {
  /** Output on its way to every client, joined into fewer frames while it streams. */
  readonly #outbox = new OutputBatcher((offset, data) => this.#sendLive(offset, data));
  /**
   * A client a window behind resumes from the log once it acknowledges; with the window at most half the log, the
   * log still holds its place unless the output ran on by another half meanwhile.
   */
  readonly #flows: OutputFlows;
  /** Clients whose replay has not been sent yet: live output skips them (the replay will cover it). */
  readonly #holding = new Set<string>();
  /** Callers of `whenClientsHaveRoom` waiting for the next acknowledgement. */
  readonly #roomWaiters = new Set<() => void>();

  private constructor(
    private readonly log: OutputLog,
    private readonly checkpoint: ScreenCheckpoint,
    private readonly archive: OutputArchive,
    private readonly clients: () => Iterable<OutputClient>,
  ) {
    this.#flows = new OutputFlows(Math.min(Limits.maxUnackedBytes, Math.floor(log.maxBytes / 2)));
  }

  /** Loads what an earlier instance of the room kept; `clients` lists the sockets to deliver to. */
  static async restore(
    storage: ArchiveStorage,
    options: { maxBytes: number; size: { cols: number; rows: number }; clients: () => Iterable<OutputClient> },
  ): Promise<OutputStream> {
    const { log, checkpoint, archive } = await OutputArchive.restore(storage, options.maxBytes, options.size);
    return new OutputStream(log, checkpoint, archive, options.clients);
  }

  /** Offset one past the last byte the session produced. */
  get end(): number {
    return this.log.end;
  }

  /** How much output the log keeps, in bytes. */
  get maxBytes(): number {
    return this.log.maxBytes;
  }

  /** New PTY output: logged, archived, and sent to every client (joined with what follows while it streams). */
  append(data: Uint8Array): number {
    const offset = this.log.append(data);
    this.archive.append(offset, data);
    this.#outbox.add(offset, data);
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

  #replay(client: OutputClient, since: number | null): void {
    let from = since;
    if (from === null || !this.log.has(from)) {
      from = this.log.start;
      if (since !== null || from > 0) send(client, this.#reset());
    }
    try {
      for (const chunk of this.log.joined(from, REPLAY_FRAME_BYTES)) client.send(encodeOutput(chunk.offset, chunk.data));
    } catch {
      return; // the socket is closing; the room's close handler calls `left`
    }
    this.#flows.opened(client.id, from, this.log.end);
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
  #sendLive(offset: number, data: Uint8Array): void {
    const frame = encodeOutput(offset, data);
    const end = offset + data.byteLength;
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

function send(client: OutputClient, message: ServerMessage): void {
  try {
    client.send(encodeMessage(message));
  } catch {
    // The socket is closing.
  }
}
