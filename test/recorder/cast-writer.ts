// Collects a terminal session as asciicast v2 text: a header line, then timed output, input and resize events.
// Output bytes are decoded as a UTF-8 stream, so a character split across PTY reads lands whole in one event.

/** Digits kept in event times (asciicast times are seconds). */
const TIME_DECIMALS = 4;

export interface CastHeader {
  width: number;
  height: number;
  /** Shown by players; the scenario name. */
  title: string;
  /** Recorded environment (TERM and the like). */
  env: Record<string, string>;
}

export class CastWriter {
  readonly #lines: string[];
  readonly #started = performance.now();
  readonly #decoder = new TextDecoder("utf-8");
  #bytes = 0;

  constructor(header: CastHeader) {
    this.#lines = [JSON.stringify({ version: 2, width: header.width, height: header.height, title: header.title, env: header.env })];
  }

  /** Bytes of output recorded so far (the offset the next output byte will have). */
  get outputBytes(): number {
    return this.#bytes;
  }

  output(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    const text = this.#decoder.decode(chunk, { stream: true });
    if (text !== "") this.#event("o", text);
  }

  input(text: string): void {
    this.#event("i", text);
  }

  resize(cols: number, rows: number): void {
    this.#event("r", `${cols}x${rows}`);
  }

  /** The whole cast, newline-terminated. */
  text(): string {
    const rest = this.#decoder.decode();
    if (rest !== "") this.#event("o", rest);
    return `${this.#lines.join("\n")}\n`;
  }

  #event(kind: "o" | "i" | "r", data: string): void {
    const seconds = Number(((performance.now() - this.#started) / 1000).toFixed(TIME_DECIMALS));
    this.#lines.push(JSON.stringify([seconds, kind, data]));
  }
}
