// Renders a client's received output the way a terminal would, so tests read lines as a user sees them.
import { createRequire } from "node:module";
import type { Terminal as TerminalType } from "@xterm/xterm";

// The package ships a CommonJS bundle; Node's ESM loader cannot name its exports, so load it with require.
const { Terminal } = createRequire(import.meta.url)("@xterm/xterm") as typeof import("@xterm/xterm");

/** Lines of history kept above the viewport, enough for a whole test session. */
const SCROLLBACK_LINES = 5000;

export class Screen {
  // @xterm/xterm keeps a full screen model without a DOM as long as `open()` is never called.
  readonly #terminal: TerminalType;
  #written = 0;

  constructor(cols: number, rows: number) {
    this.#terminal = new Terminal({ cols, rows, scrollback: SCROLLBACK_LINES, allowProposedApi: true });
  }

  /** Feeds whatever part of `output` is new since the last call, then returns every rendered line, right-trimmed. */
  async lines(output: string): Promise<string[]> {
    const fresh = output.slice(this.#written);
    this.#written = output.length;
    await new Promise<void>((done) => this.#terminal.write(fresh, done));
    const buffer = this.#terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return lines;
  }

  dispose(): void {
    this.#terminal.dispose();
  }
}
