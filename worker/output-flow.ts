// Per-client flow control: how far ahead of its acknowledgements the room sends a client output.
import { Limits } from "../parsers/protocol";

interface Flow {
  /** Offset one past the last output byte sent to the client. */
  sentTo: number;
  /** Offset one past the last byte the client acknowledged. */
  acked: number;
  /** Fell a window behind: gets nothing until it acknowledges. */
  paused: boolean;
  /** When it last acknowledged (or joined), in epoch milliseconds. */
  lastAckAt: number;
}

/** A client that acknowledged nothing for this long, in milliseconds, counts as stalled: pacing leaves it behind. */
const STALLED_MS = 1000;

export class OutputFlows {
  readonly #flows = new Map<string, Flow>();

  constructor(readonly windowBytes: number = Limits.maxUnackedBytes) {}

  /**
   * The client has been sent everything before `sentTo` and has acknowledged nothing from `from` on; `paused` when
   * more output waits for it (a replay sent it a window): it gets the rest once it acknowledges.
   */
  opened(id: string, from: number, sentTo: number, paused = false): void {
    // A client that stalled stays stalled across a reset: only an acknowledgement says it reads again.
    const lastAckAt = this.#flows.get(id)?.lastAckAt ?? Date.now();
    this.#flows.set(id, { sentTo, acked: from, paused, lastAckAt });
  }

  /**
   * Whether a frame of bytes `offset`..`end` goes to this client now; it counts as sent if so. A client the
   * room has no record of (after the room woke from hibernation) starts counting at this frame.
   */
  admit(id: string, offset: number, end: number): boolean {
    let flow = this.#flows.get(id);
    if (!flow) this.#flows.set(id, (flow = { sentTo: offset, acked: offset, paused: false, lastAckAt: Date.now() }));
    if (flow.paused) return false;
    if (flow.sentTo - flow.acked >= this.windowBytes) {
      flow.paused = true;
      return false;
    }
    flow.sentTo = Math.max(flow.sentTo, end);
    return true;
  }

  /**
   * Records an acknowledgement (never beyond what was sent). Returns the offset to resume from when the client
   * was paused and has drained half its window; null otherwise.
   */
  acknowledge(id: string, offset: number): number | null {
    const flow = this.#flows.get(id);
    if (!flow) return null;
    flow.acked = Math.max(flow.acked, Math.min(offset, flow.sentTo));
    flow.lastAckAt = Date.now();
    if (!flow.paused || flow.sentTo - flow.acked > this.windowBytes / 2) return null;
    flow.paused = false;
    return flow.sentTo;
  }

  /** Output up to `end` went to the client past `admit` (a catch-up from the recording): it counts as sent. */
  sent(id: string, end: number): void {
    const flow = this.#flows.get(id);
    if (flow) flow.sentTo = Math.max(flow.sentTo, end);
  }

  /**
   * Whether `bytes` more, sent past `admit` (a catch-up from the recording), stay within the client's window; a
   * client with nothing unacknowledged always has room.
   */
  hasRoomFor(id: string, bytes: number): boolean {
    const unacked = this.unacked(id);
    return unacked === 0 || unacked + bytes <= this.windowBytes;
  }

  /** Bytes sent to the client and not yet acknowledged. */
  unacked(id: string): number {
    const flow = this.#flows.get(id);
    return flow ? flow.sentTo - flow.acked : 0;
  }

  /**
   * Whether every client that keeps up is at most half a window behind (room for more without pausing it). Paused
   * and stalled clients do not count: waiting for them would hold everyone up.
   */
  allHaveRoom(now = Date.now()): boolean {
    for (const flow of this.#flows.values()) {
      const keepsUp = !flow.paused && now - flow.lastAckAt < STALLED_MS;
      if (keepsUp && flow.sentTo - flow.acked > this.windowBytes / 2) return false;
    }
    return true;
  }

  isPaused(id: string): boolean {
    return this.#flows.get(id)?.paused ?? false;
  }

  closed(id: string): void {
    this.#flows.delete(id);
  }
}
