import * as xtermHeadless from "@xterm/headless";
import type { Terminal as HeadlessTerminal } from "@xterm/headless";
import { afterEach, describe, expect, it } from "vitest";
import { ScrollAnchorAddon } from "./scroll-anchor-addon";

// The package is a CommonJS bundle: its exports sit on the namespace or, under Node's loader, on its default.
const { Terminal: Headless } = ((xtermHeadless as unknown as { Terminal?: unknown }).Terminal
  ? xtermHeadless
  : (xtermHeadless as unknown as { default: typeof xtermHeadless }).default) as typeof xtermHeadless;

const ROWS = 10;
/** A transcript as Claude Code draws it, one numbered line each. */
const transcript = (lines: number): string => Array.from({ length: lines }, (_, i) => `line ${i + 1}`).join("\r\n");
/** Clear the screen and the scrollback, home the cursor, and draw everything again. */
const REPAINT = "\x1b[2J\x1b[3J\x1b[H";

const terminals: HeadlessTerminal[] = [];

function terminal(withAnchor: boolean): HeadlessTerminal {
  const term = new Headless({ cols: 40, rows: ROWS, scrollback: 1000, allowProposedApi: true });
  terminals.push(term);
  // The addon uses only API that xterm.js and its headless build share.
  if (withAnchor) term.loadAddon(new ScrollAnchorAddon() as unknown as Parameters<HeadlessTerminal["loadAddon"]>[0]);
  return term;
}

const write = (term: HeadlessTerminal, data: string): Promise<void> => new Promise((done) => term.write(data, done));
const topLine = (term: HeadlessTerminal): string =>
  term.buffer.active.getLine(term.buffer.active.viewportY)?.translateToString(true) ?? "";

afterEach(() => {
  for (const term of terminals.splice(0)) term.dispose();
});

describe("ScrollAnchorAddon", () => {
  it("keeps a scrolled-up reader on the same line through a full repaint", async () => {
    for (const withAnchor of [false, true]) {
      const term = terminal(withAnchor);
      await write(term, transcript(100));
      term.scrollToLine(40);
      expect(topLine(term)).toBe("line 41");
      await write(term, `${REPAINT}${transcript(101)}`);
      // Without the addon xterm.js leaves the reader at the top of the scrollback.
      expect(topLine(term), withAnchor ? "with the addon" : "without the addon").toBe(withAnchor ? "line 41" : "line 1");
    }
  });

  it("waits for a repaint that arrives in pieces", async () => {
    const term = terminal(true);
    await write(term, transcript(100));
    term.scrollToLine(60);
    await write(term, `${REPAINT}${transcript(30)}`);
    await write(term, `\r\n${transcript(100).split("\r\n").slice(30).join("\r\n")}`);
    expect(topLine(term)).toBe("line 61");
  });

  it("leaves a reader at the bottom following the output", async () => {
    const term = terminal(true);
    await write(term, transcript(100));
    await write(term, `${REPAINT}${transcript(120)}`);
    const buffer = term.buffer.active;
    expect(buffer.viewportY).toBe(buffer.baseY);
  });

  it("typing lets go of the anchor", async () => {
    const term = terminal(true);
    await write(term, transcript(100));
    term.scrollToLine(40);
    await write(term, REPAINT);
    term.input("x");
    await write(term, transcript(100));
    expect(topLine(term)).not.toBe("line 41");
  });
});
