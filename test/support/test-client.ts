// A browser stand-in for tests in any runtime: records what the server sends, decodes output to text, waits for conditions.
import {
  decodeServerFrame,
  encodeInput,
  encodeMessage,
  Limits,
  type ClientMessage,
  type ServerMessage,
} from "../../parsers/protocol";

const DEFAULT_WAIT_MS = 20_000;
const POLL_MS = 20;

/** The runtime's socket, reduced to what a client does with it. */
export interface SocketPort {
  send(frame: string | Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Decoded output, in pieces: joining megabytes on every poll would starve the process the test shares. */
  readonly #pieces: string[] = [];
  #joined = "";
  #joinedPieces = 0;
  /** Offset one past the last output byte received. */
  nextOffset: number | null = null;
  /** Offset of the first output byte received (after a `reset`, where output restarted). */
  startOffset: number | null = null;
  /** Output frames whose offset did not continue the previous one (a gap or an overlap). */
  discontinuities = 0;
  closed: { code: number; reason: string } | null = null;
  /** Acknowledge output as a browser does; a client that does not stands for one that stopped reading. */
  acknowledges = true;
  readonly #decoder = new TextDecoder();
  #unacked = 0;

  constructor(readonly socket: SocketPort) {}

  /** Feed one frame as the runtime delivered it. */
  receive(data: string | ArrayBuffer | Uint8Array): void {
    const frame = decodeServerFrame(data);
    if (!frame) return;
    if (frame.type !== "output") {
      this.messages.push(frame);
      if (frame.type === "reset") this.nextOffset = frame.offset;
      return;
    }
    if (this.nextOffset !== null && frame.offset !== this.nextOffset) this.discontinuities++;
    this.startOffset ??= frame.offset;
    this.nextOffset = frame.offset + frame.data.byteLength;
    this.#unacked += frame.data.byteLength;
    if (this.acknowledges && this.#unacked >= Limits.ackEveryBytes) {
      this.#unacked = 0;
      this.socket.send(encodeMessage({ type: "ack", offset: this.nextOffset }));
    }
    this.#pieces.push(this.#decoder.decode(frame.data, { stream: true }));
  }

  /** Every output byte received, decoded as UTF-8. */
  get text(): string {
    if (this.#joinedPieces < this.#pieces.length) {
      this.#joined += this.#pieces.slice(this.#joinedPieces).join("");
      this.#joinedPieces = this.#pieces.length;
    }
    return this.#joined;
  }

  closedWith(code: number, reason: string): void {
    this.closed = { code, reason };
  }

  of<T extends ServerMessage["type"]>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((message): message is Extract<ServerMessage, { type: T }> => message.type === type);
  }

  /** The session phase as last reported, by `hello` or a later `status`. */
  phase(): string | undefined {
    const phases = this.messages.flatMap((message) =>
      message.type === "status" ? [message.phase] : message.type === "hello" ? [message.status.phase] : [],
    );
    return phases.at(-1);
  }

  type(text: string): void {
    this.socket.send(encodeInput(new TextEncoder().encode(text)));
  }

  sendMessage(message: ClientMessage): void {
    this.socket.send(encodeMessage(message));
  }

  async waitFor(what: string, condition: () => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; messages: ${JSON.stringify(this.messages).slice(-1500)}; ` +
            `output tail: ${JSON.stringify(this.text.slice(-800))}`,
        );
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }

  /** Waits until the output contains `needle`, reading only what arrived since the last look. */
  waitForText(needle: string, timeoutMs?: number): Promise<void> {
    let scanned = 0;
    let carry = "";
    return this.waitFor(
      JSON.stringify(needle),
      () => {
        const fresh = carry + this.#pieces.slice(scanned).join("");
        scanned = this.#pieces.length;
        if (fresh.includes(needle)) return true;
        carry = fresh.slice(Math.max(0, fresh.length - needle.length + 1));
        return false;
      },
      timeoutMs,
    );
  }

  waitForRunning(timeoutMs?: number): Promise<void> {
    return this.waitFor("status running", () => this.phase() === "running", timeoutMs);
  }

  waitForError(code: string, count = 1): Promise<void> {
    return this.waitFor(`${count} error(s) ${code}`, () => this.of("error").filter((error) => error.code === code).length >= count);
  }
}
