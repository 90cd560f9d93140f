// "A terminal connection", as the workloads see it: send bytes, receive output bytes. Two implementations: the
// baseline relay (raw binary frames) and the full stack (protocol v1 through the Worker and the SessionRoom).
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { decodeServerFrame, encodeInput, encodeMessage, Limits, type ServerMessage } from "../parsers/protocol";
import { issueTicket } from "../test/support/stack-client";

export type OutputListener = (chunk: Uint8Array, receivedBefore: number) => void;

export interface Terminal {
  readonly label: string;
  /** Output bytes received so far. */
  readonly received: number;
  /** Binary frames carrying output received so far. */
  readonly frames: number;
  send(bytes: Uint8Array | string): void;
  /** Calls `listener` with every output chunk (and the count received before it); returns a remover. */
  onOutput(listener: OutputListener): () => void;
  /** Calls `listener` once if the connection fails or closes; returns a remover. */
  onFailure(listener: (error: Error) => void): () => void;
  /** What the server said besides output (status, errors), for error messages. */
  diagnostics(): string;
  /** WebSocket extensions the server accepted (e.g. "permessage-deflate"), empty when none. */
  readonly extensions: string;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
/** Session phases after which a running session's output has stopped. */
const LOST_PHASES: ReadonlySet<string> = new Set(["disconnected", "exited", "error"]);
const OPEN_TIMEOUT_MS = 15_000;

abstract class BaseTerminal implements Terminal {
  received = 0;
  frames = 0;
  #listeners = new Set<OutputListener>();
  #failureListeners = new Set<(error: Error) => void>();
  #failure: Error | null = null;
  #closing = false;

  constructor(
    readonly label: string,
    protected readonly socket: WebSocket,
  ) {
    socket.on("close", (code, reason) => this.fail(new Error(`${label}: socket closed (${code} ${reason.toString()})`)));
    socket.on("error", (error) => this.fail(new Error(`${label}: socket error: ${error.message}`)));
  }

  abstract send(bytes: Uint8Array | string): void;

  /** WebSocket extensions the server accepted (e.g. "permessage-deflate"), empty when none. */
  get extensions(): string {
    return this.socket.extensions;
  }

  diagnostics(): string {
    return "";
  }

  onOutput(listener: OutputListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onFailure(listener: (error: Error) => void): () => void {
    if (this.#failure) {
      listener(this.#failure);
      return () => undefined;
    }
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  protected deliver(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    const before = this.received;
    this.received += chunk.byteLength;
    this.frames++;
    for (const listener of this.#listeners) listener(chunk, before);
  }

  protected fail(error: Error): void {
    if (this.#failure || this.#closing) return;
    this.#failure = error;
    for (const listener of this.#failureListeners) listener(error);
    this.#failureListeners.clear();
  }

  /** Stops reading from the socket, as a client on a stalled network would; the server's sends back up. */
  pause(): void {
    this.socket.pause();
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((done) => this.socket.once("close", () => done()));
    this.socket.close(1000);
    const timer = setTimeout(() => this.socket.terminate(), 2000);
    await closed;
    clearTimeout(timer);
  }
}

/** The baseline relay: every binary frame is raw PTY output; input goes out as raw binary frames. */
export class BaselineTerminal extends BaseTerminal {
  /** A socket on the relay's session `session`; `recorded` asks for a shell under `script` (see baseline-relay.ts). */
  static open(relayUrl: string, session: string, label = `baseline/${session}`, recorded = false): Promise<BaselineTerminal> {
    return BaselineTerminal.connect(`${relayUrl}/?session=${encodeURIComponent(session)}${recorded ? "&record=1" : ""}`, label);
  }

  /** Any raw relay at `url` (e.g. the baseline relay behind a probe worker). */
  static async connect(url: string, label: string, options: { perMessageDeflate?: boolean } = {}): Promise<BaselineTerminal> {
    const socket = new WebSocket(url, options);
    socket.binaryType = "arraybuffer";
    // Listen before the socket opens: `ws` delivers frames that came with the 101 before an awaiting caller resumes.
    const terminal = new BaselineTerminal(label, socket);
    await opened(socket, label);
    return terminal;
  }

  private constructor(label: string, socket: WebSocket) {
    super(label, socket);
    socket.on("message", (data: ArrayBuffer, isBinary: boolean) => {
      if (isBinary) this.deliver(new Uint8Array(data));
    });
  }

  send(bytes: Uint8Array | string): void {
    this.socket.send(typeof bytes === "string" ? encoder.encode(bytes) : bytes, { binary: true });
  }
}

/** The full stack: protocol v1 output frames (decoded with the codec, offsets checked), input frames encoded. */
export class StackTerminal extends BaseTerminal {
  /** Output frames whose offset left a gap after the previous one (bytes lost). */
  gaps = 0;
  /** Bytes dropped because their offset had already been received (overlap, e.g. replay). */
  duplicateBytes = 0;
  readonly messages: ServerMessage[] = [];
  #nextOffset: number | null = null;
  #unacked = 0;
  #phaseListeners = new Set<() => void>();
  #wasRunning = false;

  /**
   * Opens a session socket as a browser does: a fresh ticket (stack-client's issueTicket), the page's Origin, and
   * permessage-deflate offered unless `perMessageDeflate: false` (diagnostics only). Unlike stack-client's openSocket,
   * it listens before the socket opens: `ws` hands over frames that arrived with the 101 response (here the `hello`)
   * on process.nextTick, before a caller awaiting "open" resumes, so a listener added after that misses them.
   */
  static async open(
    baseUrl: string,
    id: string,
    token: string,
    label = `stack/${id.slice(0, 6)}`,
    options: { perMessageDeflate?: boolean; since?: number } = {},
  ): Promise<StackTerminal> {
    const ticket = await withTimeout(issueTicket(baseUrl, id, token), OPEN_TIMEOUT_MS, `${label}: getting a ticket`);
    const since = options.since === undefined ? "" : `&since=${options.since}`;
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/sessions/${id}/ws?ticket=${ticket}${since}`, {
      origin: baseUrl,
      ...(options.perMessageDeflate === false ? { perMessageDeflate: false } : {}),
    });
    socket.binaryType = "arraybuffer";
    const terminal = new StackTerminal(label, socket);
    await opened(socket, label);
    return terminal;
  }

  private constructor(label: string, socket: WebSocket) {
    super(label, socket);
    socket.on("message", (data: ArrayBuffer, isBinary: boolean) => {
      const frame = decodeServerFrame(isBinary ? data : Buffer.from(data).toString("utf8"));
      if (!frame) return;
      if (frame.type === "output") return this.#output(frame.offset, frame.data);
      this.messages.push(frame);
      if (frame.type === "reset") this.#nextOffset = frame.offset;
      if (frame.type === "hello" || frame.type === "status") for (const listener of this.#phaseListeners) listener();
      // Once the session has been running, losing the PTY ends whatever the client was waiting for.
      if (frame.type === "status" && this.#wasRunning && LOST_PHASES.has(frame.phase)) {
        this.fail(new Error(`${label}: the session went "${frame.phase}": ${frame.message ?? ""}`));
      }
      if (this.phase === "running") this.#wasRunning = true;
    });
  }

  /** Offset one past the last output byte received (where a resume starts), null before any output. */
  get nextOffset(): number | null {
    return this.#nextOffset;
  }

  /** The session phase as last reported by `hello` or `status`. */
  get phase(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i]!;
      if (message.type === "status") return message.phase;
      if (message.type === "hello") return message.status.phase;
    }
    return undefined;
  }

  /** Waits until the session's PTY is attached; throws on `error`/`exited` or after `timeoutMs`. */
  async waitForRunning(timeoutMs: number): Promise<void> {
    await new Promise<void>((done, fail) => {
      let removeFailure = (): void => undefined;
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.#phaseListeners.delete(check);
        removeFailure();
        if (error) fail(error);
        else done();
      };
      const check = (): void => {
        const phase = this.phase;
        if (phase === "running") finish();
        else if (phase === "error" || phase === "exited") {
          finish(new Error(`${this.label}: session ${phase}: ${JSON.stringify(this.messages.at(-1))}`));
        }
      };
      const timer = setTimeout(
        () => finish(new Error(`${this.label}: no "running" status within ${timeoutMs} ms; messages: ${JSON.stringify(this.messages).slice(-600)}`)),
        timeoutMs,
      );
      this.#phaseListeners.add(check);
      removeFailure = this.onFailure((error) => finish(error));
      check();
    });
  }

  override diagnostics(): string {
    const notable = this.messages.filter((message) => message.type === "status" || message.type === "error" || message.type === "reset");
    const tail = notable.slice(-4).map((message) => JSON.stringify(message));
    return `phase ${this.phase ?? "?"}; last status/error messages: ${tail.join(" ") || "none"}; offset gaps ${this.gaps}`;
  }

  send(bytes: Uint8Array | string): void {
    this.socket.send(encodeInput(typeof bytes === "string" ? encoder.encode(bytes) : bytes));
  }

  #output(offset: number, data: Uint8Array): void {
    // Acknowledge as a browser does, so the room keeps sending.
    this.#unacked += data.byteLength;
    if (this.#unacked >= Limits.ackEveryBytes) {
      this.#unacked = 0;
      this.socket.send(encodeMessage({ type: "ack", offset: offset + data.byteLength }));
    }
    if (this.#nextOffset !== null) {
      if (offset > this.#nextOffset) this.gaps++;
      else if (offset < this.#nextOffset) {
        const overlap = Math.min(this.#nextOffset - offset, data.byteLength);
        this.duplicateBytes += overlap;
        data = data.subarray(overlap);
        offset += overlap;
      }
    }
    this.#nextOffset = offset + data.byteLength;
    this.deliver(data);
  }
}

/** Resolves with the time and stream position right after `needle` next appears in the output (from now on). */
export function waitForText(
  terminal: Terminal,
  needle: string,
  timeoutMs: number,
  what = JSON.stringify(needle),
): Promise<{ at: number; position: number }> {
  const pattern = Buffer.from(needle, "utf8");
  let carry: Buffer = Buffer.alloc(0); // last pattern.length-1 bytes of the previous chunks
  let carryEnd = 0; // stream position just after the carry
  return new Promise((done, fail) => {
    let removeOutput = (): void => undefined;
    let removeFailure = (): void => undefined;
    const finish = (result: { at: number; position: number } | Error): void => {
      clearTimeout(timer);
      removeOutput();
      removeFailure();
      if (result instanceof Error) fail(result);
      else done(result);
    };
    const timer = setTimeout(
      () => {
        const notes = terminal.diagnostics();
        finish(new Error(`${terminal.label}: ${what} did not arrive within ${timeoutMs} ms (${terminal.received} bytes received)${notes ? `; ${notes}` : ""}`));
      },
      timeoutMs,
    );
    removeOutput = terminal.onOutput((chunk, before) => {
      const at = performance.now();
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      // A match across the previous chunk and this one.
      if (carry.length > 0) {
        const seam = Buffer.concat([carry, bytes.subarray(0, pattern.length - 1)]);
        const index = seam.indexOf(pattern);
        if (index >= 0) return finish({ at, position: carryEnd - carry.length + index + pattern.length });
      }
      const index = bytes.indexOf(pattern);
      if (index >= 0) return finish({ at, position: before + index + pattern.length });
      const keep = pattern.length - 1;
      if (keep > 0) {
        const joined = bytes.length >= keep ? bytes : Buffer.concat([carry, bytes]);
        carry = Buffer.from(joined.subarray(joined.length - Math.min(keep, joined.length)));
        carryEnd = before + bytes.length;
      }
    });
    removeFailure = terminal.onFailure((error) => finish(error));
  });
}

export function opened(socket: WebSocket, label: string): Promise<void> {
  return withTimeout(
    new Promise<void>((done, fail) => {
      socket.once("open", () => done());
      socket.once("error", fail);
    }),
    OPEN_TIMEOUT_MS,
    `${label}: opening the socket`,
  ).catch((error: unknown) => {
    socket.terminate();
    throw error;
  });
}

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`${what}: timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
