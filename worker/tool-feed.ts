// Runs the Claude Code TUI parser on a session's output and keeps its tool history, in memory and in storage.
import { ClaudeTuiParser } from "../parsers/claude-tui/claude-tui-parser";
import type { StateEvent, ToolEvent, ToolRecord } from "../parsers/protocol";
import { BackgroundBytes } from "./background-bytes";
import { pushBackScheduler } from "./push-back-scheduler";

/** Tool calls kept for clients that join later; older ones are forgotten. */
const MAX_TOOLS = 500;
/**
 * Parsing runs in slices of about this many bytes, between other work, so relaying and input are never held up.
 * (Bytes, not milliseconds: inside a Worker the clock stands still while code runs.)
 */
const PARSE_SLICE_BYTES = 64 * 1024;
/**
 * Parsing waits for this long a pause in the output, in milliseconds: Claude's repaints come in short bursts and
 * are parsed right after each.
 */
const QUIET_MS = 2;
/**
 * Output parsed per second at most, and waiting at most, in bytes: a flood (`cat`, `yes`; Claude writes tens of
 * kilobytes a second) costs a bounded share of the room's time, and the parser picks up again after what it dropped.
 */
const MAX_BACKLOG_BYTES = 512 * 1024;
const KEY_PREFIX = "tool:";

/** The storage calls the feed needs (a Durable Object's storage has them). */
export interface ToolStorage {
  put(key: string, value: ToolRecord): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
}

export class ToolFeed {
  readonly #tools = new Map<string, ToolRecord>();
  #parser: ClaudeTuiParser;
  #state: StateEvent = { type: "state", state: "starting" };
  /** Output waiting for the parser. Falling behind a flood forgets what waits: the panel may miss calls made inside it. */
  readonly #backlog = new BackgroundBytes({
    maxBytes: MAX_BACKLOG_BYTES,
    sliceBytes: PARSE_SLICE_BYTES,
    quietMs: QUIET_MS,
    consume: (offset, data) => this.#parser.write(data, offset),
  });
  /** Parser ids restart at t1 with every parser; the epoch keeps ids unique across room restarts. */
  readonly #epoch = Date.now().toString(36);

  private constructor(
    private readonly storage: ToolStorage,
    size: { cols: number; rows: number },
    private readonly emit: (event: ToolEvent | StateEvent) => void,
  ) {
    this.#parser = this.#newParser(size);
  }

  /** Loads the history an earlier instance kept; the parser itself starts fresh on the live stream. */
  static async restore(
    storage: ToolStorage,
    size: { cols: number; rows: number },
    emit: (event: ToolEvent | StateEvent) => void,
  ): Promise<ToolFeed> {
    const feed = new ToolFeed(storage, size, emit);
    const stored = await storage.list<ToolRecord>({ prefix: KEY_PREFIX });
    for (const record of [...stored.values()].sort((a, b) => a.start - b.start)) feed.#tools.set(record.id, record);
    return feed;
  }

  /** What Claude is doing, as last read from the screen. */
  get state(): StateEvent["state"] {
    return this.#state.state;
  }

  /** Output bytes that start at stream offset `offset`; parsed soon after, in slices between other work. */
  write(data: Uint8Array, offset: number): void {
    this.#backlog.add(offset, data);
  }

  resize(cols: number, rows: number): void {
    this.#parser.resize(cols, rows);
  }

  /** What a client that joins now should get: every kept call, then the current state. */
  snapshot(): Array<ToolEvent | StateEvent> {
    return [...[...this.#tools.values()].map((record): ToolEvent => ({ type: "tool", ...record })), this.#state];
  }

  /** The command exited: Claude is gone, whatever the screen last showed. */
  exited(): void {
    this.#setState({ type: "state", state: "exited" });
  }

  dispose(): void {
    this.#backlog.dispose();
    this.#parser.dispose();
  }

  #newParser(size: { cols: number; rows: number }): ClaudeTuiParser {
    const parser = new ClaudeTuiParser({
      ...size,
      schedule: pushBackScheduler(),
    });
    parser.onEvent((event) => {
      if (event.type === "state") this.#setState(event);
      else this.#record({ ...event, id: `${this.#epoch}-${event.id}` });
    });
    return parser;
  }

  #record(event: ToolEvent): void {
    const { type: _type, ...record } = event;
    this.#tools.set(record.id, record);
    void this.storage.put(KEY_PREFIX + record.id, record).catch(() => undefined);
    if (this.#tools.size > MAX_TOOLS) {
      const oldest = this.#tools.keys().next().value!;
      this.#tools.delete(oldest);
      void this.storage.delete(KEY_PREFIX + oldest).catch(() => undefined);
    }
    this.emit(event);
  }

  #setState(state: StateEvent): void {
    if (state.state === this.#state.state && JSON.stringify(state.options) === JSON.stringify(this.#state.options)) return;
    this.#state = state;
    this.emit(state);
  }
}
